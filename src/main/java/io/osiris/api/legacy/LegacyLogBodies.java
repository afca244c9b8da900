package io.osiris.api.legacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.api.LogLimits;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/**
 * Reads the legacy log upload {@code {"data": "<whole log>", "metadata": {...}}}. The protocol puts the whole log in
 * one JSON string, so this door is bounded by {@code osiris.api.legacy-max-log-size}; the v1 door streams any size.
 */
@Component("legacyLogBodies")
public class LegacyLogBodies {

    private final JsonFactory factory;
    private final long maxBytes;

    public LegacyLogBodies(ObjectMapper json, LogLimits limits) {
        this.maxBytes = limits.legacy();
        this.factory = json.getFactory().copy().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength((int) Math.min(Integer.MAX_VALUE - 16, maxBytes)).build());
    }

    /** The log bytes of the {@code data} field. */
    public InputStream data(@Body InputStream body) throws IOException {
        if (body == null) {
            throw OsirisException.badRequest("data", "a JSON body {\"data\": ..., \"metadata\": ...} is required");
        }
        String data = null;
        try (JsonParser parser = factory.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw OsirisException.badRequest("body", "the body must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("data".equals(field)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw OsirisException.badRequest("data", "data must be a string");
                    }
                    data = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (StreamConstraintsException e) {
            throw tooLarge();
        }
        if (data == null) {
            throw OsirisException.badRequest("data", "field 'data' is required");
        }
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw tooLarge();
        }
        return new ByteArrayInputStream(bytes);
    }

    private OsirisException tooLarge() {
        return new OsirisException(ErrorKind.PAYLOAD_TOO_LARGE, "data",
                "the log is larger than the legacy limit of " + maxBytes + " bytes; use PUT /api/v1/.../log to "
                        + "stream larger logs");
    }
}
