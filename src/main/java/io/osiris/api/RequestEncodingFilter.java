package io.osiris.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One rule for compressed request bodies at every HTTP door: refused with 415 before a byte is read. Osiris
 * compresses what it stores itself; a decoded body would escape the size limits (a 1 MB gzip bomb is a 1 GB log),
 * and whether a server decodes it depends on details such as {@code Expect: 100-continue}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestEncodingFilter extends OncePerRequestFilter {

    private static final byte[] REFUSED = ("{\"status\":415,\"error\":\"Unsupported Media Type\",\"message\":"
            + "\"request bodies are accepted without Content-Encoding; send the log as it is (Osiris compresses it)\","
            + "\"field\":\"Content-Encoding\"}").getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(415);
        response.setContentType("application/json");
        // the body is not read: the connection cannot be reused for another request
        response.setHeader("Connection", "close");
        response.getOutputStream().write(REFUSED);
    }
}
