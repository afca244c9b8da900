package io.osiris.access;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The actuator on the service port: health stays anonymous, but only an authenticated caller sees its details
 * (Spring shows them to a request with a principal: {@code show-details: when-authorized}); the metrics need
 * {@code get} on {@code /metrics} (Kubernetes) or a tokens-file entry that may get everywhere. A separate management
 * port ({@code management.server.port}) is not behind this filter: it is meant for the cluster's scraper only.
 */
class ActuatorAccessFilter extends OncePerRequestFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Callers callers;

    ActuatorAccessFilter(Callers callers) {
        this.callers = callers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean metrics = request.getRequestURI().startsWith("/actuator/prometheus");
        Credentials credentials = new Credentials(Credentials.bearer(request.getHeader("Authorization")), null,
                request.getRemoteAddr());
        Identity identity;
        try {
            identity = !callers.enabled() || credentials.bearerToken() != null || metrics
                    ? callers.authenticate(credentials) : null;
        } catch (OsirisException e) {
            if (!metrics && e.kind() == ErrorKind.UNAUTHENTICATED) {
                identity = null; // a probe with a stale token still gets its status, without details
            } else {
                refuse(response, e.kind(), e.getMessage());
                return;
            }
        }
        if (metrics && !callers.allowsMetrics(identity)) {
            refuse(response, ErrorKind.FORBIDDEN, "'" + identity.name() + "' may not get /metrics");
            return;
        }
        chain.doFilter(identity == null ? request : withPrincipal(request, identity), response);
    }

    private static HttpServletRequest withPrincipal(HttpServletRequest request, Identity identity) {
        Principal principal = identity::name;
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }
        };
    }

    private static void refuse(HttpServletResponse response, ErrorKind kind, String message) throws IOException {
        response.setStatus(kind.httpStatus());
        response.setContentType("application/json");
        if (kind == ErrorKind.UNAUTHENTICATED) {
            response.setHeader("WWW-Authenticate", Credentials.CHALLENGE);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", kind.httpStatus());
        body.put("error", kind.reason());
        body.put("message", message);
        JSON.writeValue(response.getOutputStream(), body);
    }
}
