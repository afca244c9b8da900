package io.osiris.api;

import io.osiris.access.Credentials;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Small helpers shared by the HTTP doors. */
public final class HttpReplies {

    /** What a 503 asks a client to wait: about one readiness probe period. */
    static final String RETRY_AFTER_SECONDS = "5";

    private HttpReplies() {
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
        if (status == 503) {
            // storage, database or cluster away: a client should come back, not give up
            message.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        message.setBody(body);
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, Boolean.TRUE);
    }
}
