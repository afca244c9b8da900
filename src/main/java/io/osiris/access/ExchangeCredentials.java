package io.osiris.access;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Reads a caller's credentials from an exchange of any door, and how the exchange ended, for the audit log. */
final class ExchangeCredentials {

    private ExchangeCredentials() {
    }

    /**
     * The credentials a door put in the exchange (gRPC), else those of the HTTP request. The Authorization header
     * is taken out of the message: nothing after this step needs it, and nothing should copy it anywhere.
     */
    static Credentials of(Exchange exchange) {
        Credentials set = exchange.getProperty(Credentials.PROPERTY, Credentials.class);
        if (set != null) {
            return set;
        }
        Message message = exchange.getMessage();
        String authorization = message.getHeader("Authorization", String.class);
        String forwarded = message.getHeader(Credentials.FORWARDED_TOKEN, String.class);
        message.removeHeader("Authorization");
        message.removeHeader(Credentials.FORWARDED_TOKEN);
        return new Credentials(Credentials.token(authorization, forwarded), null, address(exchange));
    }

    static String address(Exchange exchange) {
        Credentials set = exchange.getProperty(Credentials.PROPERTY, Credentials.class);
        if (set != null) {
            return set.clientAddress();
        }
        // set by ClientAddressFilter under Spring Boot; Camel Main's HTTP server (JBang) has no such filter
        return exchange.getMessage().getHeader(ClientAddressFilter.HEADER, String.class);
    }

    static boolean failed(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return exchange.isFailed() || exchange.getProperty(Exchange.EXCEPTION_CAUGHT) != null
                || (status != null && status >= 400);
    }
}
