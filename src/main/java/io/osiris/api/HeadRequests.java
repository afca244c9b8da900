package io.osiris.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code HEAD} on every API resource that has a {@code GET} (RFC 9110): the request goes to the GET route, marked with
 * the header {@value #HEADER} so that a log reply sends its headers without reading the log, and the server sends no
 * body for a HEAD request. A value of that header sent by the client is dropped.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4)
class HeadRequests extends OncePerRequestFilter {

    static final String HEADER = "Osiris-Head-Request";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean head = "HEAD".equals(request.getMethod());
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getMethod() {
                return head ? "GET" : super.getMethod();
            }

            @Override
            public String getHeader(String name) {
                if (HEADER.equalsIgnoreCase(name)) {
                    return head ? "true" : null;
                }
                return super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                if (HEADER.equalsIgnoreCase(name)) {
                    return Collections.enumeration(head ? List.of("true") : List.of());
                }
                return super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                List<String> names = Collections.list(super.getHeaderNames()).stream()
                        .filter(n -> !HEADER.equalsIgnoreCase(n)).collect(java.util.stream.Collectors.toList());
                if (head) {
                    names.add(HEADER);
                }
                return Collections.enumeration(names);
            }
        }, response);
    }
}
