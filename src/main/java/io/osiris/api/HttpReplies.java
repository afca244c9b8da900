package io.osiris.api;

import io.osiris.access.Credentials;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Small helpers shared by the HTTP doors. */
public final class HttpReplies {

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
        message.setBody(body);
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, Boolean.TRUE);
    }
}
