package io.osiris.api;

import io.osiris.http.ManagementPaths;
import io.micrometer.core.instrument.MeterRegistry;
import io.osiris.error.ErrorKind;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.osiris.error.OsirisException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Admission of API requests before any work is spent on them: a bounded number in flight (503 above it, and readiness
 * down while it is full), and for requests with a body, which hold a worker as long as their client takes to send
 * it, an upload slot ({@link UploadSlots}, shared with gRPC PutLog: 503 when all are taken, 429 past the client's
 * share). A client sending slowly thus holds at most its share of
 * workers, and reads keep their workers. Refusals carry {@code Retry-After}. Probes and metrics are never refused.
 */
@Component("admission")
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class RequestAdmission extends OncePerRequestFilter implements HealthIndicator {

    private final AdmissionProperties limits;
    private final UploadSlots uploads;
    private final AtomicInteger requests = new AtomicInteger();
    private final MeterRegistry meters;

    RequestAdmission(AdmissionProperties limits, UploadSlots uploads, MeterRegistry meters) {
        this.limits = limits;
        this.uploads = uploads;
        this.meters = meters;
        meters.gauge("osiris_http_requests_in_flight", requests);
        meters.gauge("osiris_uploads_in_flight", uploads, UploadSlots::inFlight);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return ManagementPaths.isManagement(request) || request.getRequestURI().startsWith("/probes/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (requests.incrementAndGet() > limits.maxRequests()) {
            requests.decrementAndGet();
            refuse(response, new OsirisException(ErrorKind.OVERLOADED, null, "Osiris is at its limit of "
                    + limits.maxRequests() + " requests in flight; try again shortly"), "requests");
            return;
        }
        UploadSlots.Slot slot;
        try {
            slot = hasBody(request) ? uploads.take(request.getRemoteAddr()) : null;
        } catch (OsirisException refused) {
            requests.decrementAndGet();
            refuse(response, refused, refused.kind() == ErrorKind.TOO_MANY_REQUESTS ? "client" : "uploads");
            return;
        }
        Runnable release = () -> {
            requests.decrementAndGet();
            if (slot != null) {
                slot.close();
            }
        };
        boolean async = false;
        try {
            chain.doFilter(slot == null ? request : new ReleasingAtEndOfBody(request, slot), response);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Release(release));
                async = true; // released by the listener, when the exchange ends
            }
        } finally {
            if (!async) {
                release.run();
            }
        }
    }

    private void refuse(HttpServletResponse response, OsirisException refusal, String reason) throws IOException {
        meters.counter("osiris_http_requests_refused_total", "reason", reason).increment();
        response.setHeader("Connection", "close"); // the body is not read
        HttpReplies.servletError(response, refusal.kind().httpStatus(), refusal.kind().reason(), refusal.getMessage(),
                null);
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
                .withDetail("uploadsInFlight", uploads.inFlight()).withDetail("maxUploads", limits.maxUploads()).build();
    }

    /**
     * The upload slot guards a body while it arrives: it is given back as soon as the body has been read to its end,
     * before the reply, so a client that keeps its share of uploads in flight never meets its own finished ones.
     */
    private static final class ReleasingAtEndOfBody extends HttpServletRequestWrapper {
        private final UploadSlots.Slot slot;
        private ServletInputStream body;

        ReleasingAtEndOfBody(HttpServletRequest request, UploadSlots.Slot slot) {
            super(request);
            this.slot = slot;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                ServletInputStream in = super.getInputStream();
                body = new ServletInputStream() {
                    @Override
                    public int read() throws IOException {
                        return ended(in.read());
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return ended(in.read(b, off, len));
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }

                    @Override
                    public void close() throws IOException {
                        in.close();
                    }

                    private int ended(int n) {
                        if (n == -1) {
                            slot.close();
                        }
                        return n;
                    }
                };
            }
            return body;
        }
    }

    /** Gives the request's admission back once, when its asynchronous exchange ends however it ends. */
    private static final class Release implements AsyncListener {
        private final AtomicBoolean pending = new AtomicBoolean(true);
        private final Runnable release;

        Release(Runnable release) {
            this.release = release;
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
            if (pending.compareAndSet(true, false)) {
                release.run();
            }
        }
    }
}
