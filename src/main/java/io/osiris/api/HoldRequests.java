package io.osiris.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.access.AccessControl;
import io.osiris.error.OsirisException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code PUT .../legal-hold}: the reason of a legal hold, from a small JSON body, and who placed it. */
@Component("holdRequests")
public class HoldRequests {

    static final int MAX_REASON = 1000;
    private static final long MAX_BODY = 16 * 1024;

    private final ObjectMapper json;
    private final AccessControl access;

    public HoldRequests(ObjectMapper json, AccessControl access) {
        this.json = json;
        this.access = access;
    }

    /** Body in: {@code {"reason": "..."}}; sets the properties {@code holdReason} and {@code holdBy}. */
    public void read(Exchange exchange) throws IOException {
        InputStream body = exchange.getMessage().getBody(InputStream.class);
        if (body == null) {
            throw OsirisException.badRequest("reason", "a JSON body {\"reason\": \"...\"} is required");
        }
        JsonNode node;
        try (InputStream in = BoundedBody.of(body, MAX_BODY, "a legal hold body")) {
            node = json.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw OsirisException.badRequest("body", "the body is not JSON: " + e.getOriginalMessage());
        }
        JsonNode reason = node == null ? null : node.get("reason");
        if (reason == null || !reason.isTextual() || reason.asText().isBlank()) {
            throw OsirisException.badRequest("reason", "field 'reason' (a non-empty text) is required");
        }
        if (reason.asText().length() > MAX_REASON) {
            throw OsirisException.badRequest("reason", "reason is longer than " + MAX_REASON + " characters");
        }
        exchange.setProperty("holdReason", reason.asText());
        exchange.setProperty("holdBy", access.caller(exchange).name());
    }
}
