package io.osiris.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.osiris.error.ErrorKind;
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

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity")) {
            chain.doFilter(request, response);
            return;
        }
        // the body is not read: the connection cannot be reused for another request
        response.setHeader("Connection", "close");
        HttpReplies.servletError(response, ErrorKind.UNSUPPORTED_MEDIA_TYPE.httpStatus(),
                ErrorKind.UNSUPPORTED_MEDIA_TYPE.reason(),
                "request bodies are accepted without Content-Encoding; send the log as it is (Osiris compresses it)",
                "Content-Encoding");
    }
}
