package io.osiris.access;

import io.osiris.http.EmptyBody;
import io.osiris.error.OsirisException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request body is read (and spooled to disk when large) before a route runs. So that a caller who may not write
 * costs no disk, this filter asks first, for every request with a body: who is calling, and for a REST log upload
 * ({@code PUT /api/v1/namespaces/{ns}/builds/{name}/log}) whether it may create logs there. When not, the body is
 * replaced by an empty one and the request goes on: the route's own check then answers 401 or 403 in its door's
 * format and writes the audit line. Answers are cached, so the route's check costs nothing more.
 */
class UnauthorizedBodyFilter extends OncePerRequestFilter {

    private static final Pattern LOG_UPLOAD = Pattern.compile("/api/v1/namespaces/([^/]+)/builds/([^/]+)/log");

    private final Callers callers;

    UnauthorizedBodyFilter(Callers callers) {
        this.callers = callers;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        boolean body = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        return !callers.enabled() || !body;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(mayWrite(request) ? request : withoutBody(request), response);
    }

    private boolean mayWrite(HttpServletRequest request) {
        try {
            Identity caller = callers.authenticate(new Credentials(
                    Credentials.token(request.getHeader("Authorization"), request.getHeader(Credentials.FORWARDED_TOKEN)),
                    null, request.getRemoteAddr()));
            Matcher upload = LOG_UPLOAD.matcher(request.getRequestURI());
            return !("PUT".equals(request.getMethod()) && upload.matches()) || callers.allows(caller,
                    new Access(Access.Verb.CREATE, Access.Resource.BUILD_LOGS, upload.group(1), upload.group(2)));
        } catch (OsirisException e) {
            return false; // 401, or 503 when the cluster cannot be asked: the route says which
        }
    }

    private static HttpServletRequest withoutBody(HttpServletRequest request) {
        return new HttpServletRequestWrapper(request) {
            @Override
            public ServletInputStream getInputStream() {
                return EmptyBody.INSTANCE;
            }

            @Override
            public int getContentLength() {
                return 0;
            }

            @Override
            public long getContentLengthLong() {
                return 0;
            }
        };
    }
}
