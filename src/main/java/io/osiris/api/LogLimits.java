package io.osiris.api;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** The log size limits of the doors in bytes, for the routes ({@code logLimits}). */
@Component("logLimits")
public class LogLimits {

    private final ApiProperties api;

    public LogLimits(ApiProperties api) {
        this.api = api;
    }

    public long rest() {
        return api.maxLogSize().toBytes();
    }

    public long legacy() {
        return api.legacyMaxLogSize().toBytes();
    }

    /** 413 before a body byte is read when the declared length passes the REST limit (bytes are counted too). */
    public void checkDeclaredLength(@Header(Exchange.CONTENT_LENGTH) Long declared) {
        if (declared != null && declared > rest()) {
            throw new OsirisException(ErrorKind.PAYLOAD_TOO_LARGE, "Content-Length",
                    "the log of " + declared + " bytes is larger than the limit of " + rest() + " bytes");
        }
    }
}
