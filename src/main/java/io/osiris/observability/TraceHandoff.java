package io.osiris.observability;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Work that a route hands to another thread (a log capture, a gRPC upload) runs as a new exchange; it joins the
 * route's trace through the W3C trace headers that camel-opentelemetry2 sets on the exchange it leaves.
 */
public final class TraceHandoff {

    private static final List<String> HEADERS = List.of("traceparent", "tracestate");

    private TraceHandoff() {
    }

    /** The trace headers of {@code exchange}, to give to the exchange that continues its work. */
    public static Map<String, Object> of(Exchange exchange) {
        Map<String, Object> headers = new HashMap<>();
        if (exchange != null) {
            for (String name : HEADERS) {
                Object value = exchange.getMessage().getHeader(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
        }
        return headers;
    }

    public static void into(Map<String, Object> headers, Exchange exchange) {
        headers.forEach(exchange.getMessage()::setHeader);
    }
}
