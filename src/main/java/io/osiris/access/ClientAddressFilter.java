package io.osiris.access;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
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
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public String getHeader(String name) {
                return HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(address))
                        : super.getHeaders(name);
            }

            @Override
            public Enumeration<String> getHeaderNames() {
                List<String> names = Collections.list(super.getHeaderNames()).stream()
                        .filter(n -> !HEADER.equalsIgnoreCase(n)).collect(java.util.stream.Collectors.toList());
                names.add(HEADER);
                return Collections.enumeration(names);
            }
        }, response);
    }
}
