package io.osiris.api;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * Camel would echo every request header (Range, tailLines, Accept-Encoding, ...) back as a response header. Only
 * the headers Osiris sets on purpose go out, and a request's own copies of those (a client sending
 * {@code WWW-Authenticate} or {@code Location}) are dropped on the way in, so a reply never carries what the client
 * made up. The request's Content-Type and Content-Encoding stay: they describe its body.
 */
@Component("httpHeaderFilter")
public class HttpHeaderFilter extends HttpHeaderFilterStrategy {

    private static final Set<String> REPLY_HEADERS = Set.of(
            "content-type", "content-encoding", "content-range", "accept-ranges", "content-disposition",
            "allow", "location", "etag", "www-authenticate", "retry-after", "x-osiris-log-sha256",
            "x-osiris-log-size", "x-osiris-log-pending", "x-osiris-log-lines");

    private static final Set<String> REQUEST_HEADERS = Set.of("content-type", "content-encoding");

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        String name = headerName.toLowerCase(java.util.Locale.ROOT);
        return (REPLY_HEADERS.contains(name) && !REQUEST_HEADERS.contains(name))
                || super.applyFilterToExternalHeaders(headerName, headerValue, exchange);
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !REPLY_HEADERS.contains(headerName.toLowerCase(java.util.Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
