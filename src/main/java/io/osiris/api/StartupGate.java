package io.osiris.api;

import io.osiris.http.ManagementPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.camel.CamelContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tomcat takes requests a few seconds before the Camel routes behind the API exist (and after they are gone on
 * shutdown). In that window an API call is answered 503 with {@code Retry-After}, never a 404 that a client would
 * take for "no such build". Probes and metrics pass: they report the state themselves.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class StartupGate extends OncePerRequestFilter {

    private final CamelContext camel;

    StartupGate(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ManagementPaths.isManagement(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (camel.isStarted()) {
            chain.doFilter(request, response);
            return;
        }
        HttpReplies.servletError(response, 503, "Service Unavailable",
                "Osiris is starting or stopping; try again shortly", null);
    }
}
