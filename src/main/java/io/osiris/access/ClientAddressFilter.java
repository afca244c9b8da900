package io.osiris.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.osiris.http.SyntheticHeaders;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hands the client's address to the Camel routes as the request header {@value #HEADER} (the routes see headers,
 * not the servlet request), for the audit log. A value the client sent itself is replaced, never trusted.
 */
class ClientAddressFilter extends OncePerRequestFilter {

    static final String HEADER = "Osiris-Client-Address";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        chain.doFilter(new SyntheticHeaders(request, SyntheticHeaders.of(HEADER, address)), response);
    }
}
