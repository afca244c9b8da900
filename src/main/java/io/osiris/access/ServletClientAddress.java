package io.osiris.access;

import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** The client address of a request served by the Spring Boot HTTP engine (kept apart: see ExchangeCredentials). */
final class ServletClientAddress {

    private ServletClientAddress() {
    }

    static String of(Message message) {
        return message instanceof PlatformHttpMessage http ? http.getRequest().getRemoteAddr() : null;
    }
}
