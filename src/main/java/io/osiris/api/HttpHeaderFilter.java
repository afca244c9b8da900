package io.osiris.api;

import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;
import org.springframework.stereotype.Component;

/**
 * Camel would echo every request header (Range, tailLines, Accept-Encoding, ...) back as a response header. Only
 * the headers Osiris sets on purpose go out.
 */
@Component("httpHeaderFilter")
public class HttpHeaderFilter extends HttpHeaderFilterStrategy {

    private static final Set<String> REPLY_HEADERS = Set.of(
            "content-type", "content-encoding", "content-range", "accept-ranges", "content-disposition",
            "allow", "location", "etag", "www-authenticate", "x-osiris-log-sha256", "x-osiris-log-size");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !REPLY_HEADERS.contains(headerName.toLowerCase(java.util.Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
