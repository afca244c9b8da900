package io.osiris.api.legacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.api.LogLimits;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.InputStream;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Reads the legacy log upload {@code {"data": "<whole log>", "metadata": {...}}}. The protocol puts the whole log in
 * one JSON string; it is decoded as it streams into the spool ({@link LegacyDataStream}), never held whole. The door
 * stays bounded by {@code osiris.api.legacy-max-log-size}; the v1 door takes any size.
 */
@Component("legacyLogBodies")
public class LegacyLogBodies {

    private final ObjectMapper json;
    private final long maxBytes;

    public LegacyLogBodies(ObjectMapper json, LogLimits limits) {
        this.maxBytes = limits.legacy();
        this.json = json;
    }

    /** The log bytes of the {@code data} field, decoded as the spooler reads them. */
    public InputStream data(@Body InputStream body) {
        if (body == null) {
            throw OsirisException.badRequest("data", "a JSON body {\"data\": ..., \"metadata\": ...} is required");
        }
        return new LegacyDataStream(body, json, maxBytes, this::tooLarge);
    }

    /**
     * 413 before a body byte is read when the declared length cannot hold a log within the limit: JSON escapes
     * take at most 6 bytes per log byte, plus room for the other members.
     */
    public void checkDeclaredLength(@Header(Exchange.CONTENT_LENGTH) Long declared) {
        if (declared != null && declared > maxBytes * 6 + LegacyDataStream.MAX_OTHER_MEMBER * 4L) {
            throw tooLarge();
        }
    }

    private OsirisException tooLarge() {
        return new OsirisException(ErrorKind.PAYLOAD_TOO_LARGE, "data",
                "the log is larger than the legacy limit of " + maxBytes + " bytes; use PUT /api/v1/.../log to "
                        + "stream larger logs");
    }
}
