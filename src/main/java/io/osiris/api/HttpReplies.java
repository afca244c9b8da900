package io.osiris.api;

import io.osiris.access.Credentials;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Small helpers shared by the HTTP doors. */
public final class HttpReplies {

    /** What a 503 asks a client to wait: about one readiness probe period. */
    static final String RETRY_AFTER_SECONDS = "5";

    private HttpReplies() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * An error answered by a servlet filter, before any route: the same JSON shape as the routes' errors, and
     * {@code Retry-After} on a 503 as {@link #json} sets it.
     */
    static void servletError(HttpServletResponse response, int status, String reason, String message, String field)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        if (asksToRetry(status)) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        JSON.writeValue(response.getOutputStream(), new ApiErrors.ErrorBody(status, reason, message, field));
    }

    /** 503 (something away or too busy), 429 (this client's share is used) and 507 (spool full) pass with time. */
    static boolean asksToRetry(int status) {
        return status == 503 || status == 429 || status == 507;
    }

    /** Replaces the reply with a JSON body, dropping whatever a failed step had prepared. */
    public static void json(Exchange exchange, int status, byte[] body) {
        Message message = exchange.getMessage();
        message.removeHeaders("Content-*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 401) {
            message.setHeader("WWW-Authenticate", Credentials.CHALLENGE);
        }
        if (asksToRetry(status)) {
            // storage, database or cluster away, spool full, too busy: a client should come back, not give up
            message.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        message.setBody(body);
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, Boolean.TRUE);
    }
}
