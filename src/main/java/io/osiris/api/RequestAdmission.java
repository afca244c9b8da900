package io.osiris.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.osiris.error.ErrorKind;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission of API requests before any work is spent on them: a bounded number in flight (503 above it, and readiness
 * down while it is full), a smaller bound for requests with a body, which hold a worker as long as their client takes
 * to send it (503), and a share per client address (429). A client sending slowly thus holds at most its share of
 * workers, and reads keep their workers. Refusals carry {@code Retry-After}. Probes and metrics are never refused.
 */
@Component("admission")
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class RequestAdmission extends OncePerRequestFilter implements HealthIndicator {

    private final AdmissionProperties limits;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger uploads = new AtomicInteger();
    private final Map<String, AtomicInteger> uploadsByClient = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    RequestAdmission(AdmissionProperties limits, MeterRegistry meters) {
        this.limits = limits;
        this.meters = meters;
        meters.gauge("osiris_http_requests_in_flight", requests);
        meters.gauge("osiris_http_uploads_in_flight", uploads);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/") || request.getRequestURI().startsWith("/probes/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = request.getRemoteAddr();
        boolean upload = hasBody(request);
        String refusal = admit(client, upload);
        if (refusal != null) {
            refuse(response, refusal);
            return;
        }
        boolean released = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Release(client, upload));
                released = true; // by the listener, when the exchange ends
            }
        } finally {
            if (!released) {
                release(client, upload);
            }
        }
    }

    /** Null when admitted (and counted), else the reason of the refusal. */
    private String admit(String client, boolean upload) {
        if (requests.incrementAndGet() > limits.maxRequests()) {
            requests.decrementAndGet();
            return "requests";
        }
        if (!upload) {
            return null;
        }
        if (uploads.incrementAndGet() > limits.maxUploads()) {
            uploads.decrementAndGet();
            requests.decrementAndGet();
            return "uploads";
        }
        AtomicInteger mine = uploadsByClient.computeIfAbsent(client, c -> new AtomicInteger());
        if (mine.incrementAndGet() > limits.maxUploadsPerClient()) {
            release(client, true);
            return "client";
        }
        return null;
    }

    private void release(String client, boolean upload) {
        requests.decrementAndGet();
        if (upload) {
            uploads.decrementAndGet();
            uploadsByClient.computeIfPresent(client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    private void refuse(HttpServletResponse response, String reason) throws IOException {
        meters.counter("osiris_http_requests_refused_total", "reason", reason).increment();
        response.setHeader("Connection", "close"); // the body is not read
        if ("client".equals(reason)) {
            HttpReplies.servletError(response, ErrorKind.TOO_MANY_REQUESTS.httpStatus(),
                    ErrorKind.TOO_MANY_REQUESTS.reason(), "this client already sends "
                            + limits.maxUploadsPerClient() + " bodies at once; try again when one is done", null);
        } else {
            HttpReplies.servletError(response, 503, "Service Unavailable", "Osiris is at its limit of "
                    + ("uploads".equals(reason) ? limits.maxUploads() + " uploads" : limits.maxRequests() + " requests")
                    + " in flight; try again shortly", null);
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Readiness: out of service while no request can be taken. */
    @Override
    public Health health() {
        int inFlight = requests.get();
        Health.Builder health = inFlight >= limits.maxRequests() ? Health.outOfService() : Health.up();
        return health.withDetail("requestsInFlight", inFlight).withDetail("maxRequests", limits.maxRequests())
                .withDetail("uploadsInFlight", uploads.get()).withDetail("maxUploads", limits.maxUploads()).build();
    }

    private final class Release implements AsyncListener {
        private final String client;
        private final boolean upload;
        private final AtomicInteger once = new AtomicInteger();

        Release(String client, boolean upload) {
            this.client = client;
            this.upload = upload;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            releaseOnce();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            releaseOnce();
        }

        @Override
        public void onError(AsyncEvent event) {
            releaseOnce();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // the same exchange goes on
        }

        private void releaseOnce() {
            if (once.incrementAndGet() == 1) {
                release(client, upload);
            }
        }
    }
}
