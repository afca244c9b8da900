package io.osiris.api;

import io.osiris.http.EmptyBody;
import io.osiris.http.ManagementPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies reach the routes as the request's own stream, read once by the step that needs them (the spooler
 * for logs, counting and stopping at the limit). Camel's servlet binding would otherwise copy every body whole (to
 * memory, or to disk with stream caching) before the first step of a route, so before the access check, the build
 * lookup and the size limit. The filter hides the body from the binding; the routes take it with
 * {@code bean: requestBody} where they read it. Without the filter (Camel JBang) the body is left as the HTTP server
 * gave it.
 */
@Component("requestBody")
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
public class RequestBodies extends OncePerRequestFilter {

    private static final String BODY = RequestBodies.class.getName() + ".body";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ManagementPaths.isManagement(request)
                || (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.setAttribute(BODY, request.getInputStream());
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public int getContentLength() {
                return 0; // the binding reads no body of length 0; the Content-Length header stays as sent
            }

            @Override
            public long getContentLengthLong() {
                return 0;
            }

            @Override
            public ServletInputStream getInputStream() {
                return EmptyBody.INSTANCE;
            }
        }, response);
    }

    /** Route step: the body becomes the request's stream (nothing of it read yet); null when there is none. */
    public void take(Exchange exchange) {
        Object request = exchange.getMessage().getHeader("CamelHttpServletRequest");
        if (request instanceof HttpServletRequest servlet && servlet.getAttribute(BODY) instanceof InputStream body) {
            exchange.getMessage().setBody(body);
        }
    }
}
