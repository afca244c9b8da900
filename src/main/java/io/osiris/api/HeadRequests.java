package io.osiris.api;

import io.osiris.http.ManagementPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.osiris.http.SyntheticHeaders;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code HEAD} on every API resource that has a {@code GET} (RFC 9110): the request goes to the GET route, marked with
 * the header {@value #HEADER} so that a log reply sends its headers without reading the log, and the server sends no
 * body for a HEAD request. A value of that header sent by the client is dropped.
 * <p>
 * The request's {@code Accept} reaches the routes as {@value #ACCEPT}: Camel maps one path to one set of reply types
 * (those of the last operation of the path in the contract, so {@code GET .../log} would refuse
 * {@code Accept: text/plain} with 406 because {@code PUT .../log} answers JSON). Each route picks its reply type
 * itself (a log follower: text or event stream).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4)
class HeadRequests extends OncePerRequestFilter {

    static final String HEADER = "Osiris-Head-Request";
    /** The client's Accept header, for the routes. */
    static final String ACCEPT = "Osiris-Accept";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ManagementPaths.isManagement(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean head = "HEAD".equals(request.getMethod());
        String accept = request.getHeader("Accept");
        chain.doFilter(new SyntheticHeaders(request, SyntheticHeaders.of(
                HEADER, head ? "true" : null,
                // Accept picks a representation in the routes, never a route: see the class comment
                "Accept", null,
                ACCEPT, accept), head ? "GET" : request.getMethod()), response);
    }
}
