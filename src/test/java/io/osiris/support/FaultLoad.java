package io.osiris.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients that push builds (build info, then a log of 1 KB to 1 MB) in a loop, as an observer does, while the test
 * breaks things: a write is retried after a connection failure, a 503 or a 507 (each with {@code Retry-After}, as a
 * client is told), until it is acknowledged. Every acknowledged log is remembered with its sha256; every answer that a
 * client must never see (404, a 5xx other than 503, a refusal without {@code Retry-After}) is a violation.
 */
public final class FaultLoad implements AutoCloseable {

    /** A log Osiris acknowledged (201, 200 or 202). */
    public record Acknowledged(String build, long size, String sha256, int status) {
    }

    private final Supplier<OsirisClient> client;
    private final String namespace;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private volatile long pauseMillis;

    public FaultLoad(Supplier<OsirisClient> client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public void start(int clients) {
        start(clients, 0);
    }

    /** {@code pauseMillis} between two builds of a client (a soak paces its load). */
    public void start(int clients, long pauseMillis) {
        this.pauseMillis = pauseMillis;
        running.set(true);
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread thread = new Thread(() -> push(id), "fault-load-" + c);
            thread.start();
            threads.add(thread);
        }
    }

    private void push(int id) {
        Random random = new Random(id);
        for (int n = 0; running.get(); n++) {
            String build = "/api/v1/namespaces/" + namespace + "/builds/c" + id + "-" + n;
            long size = 1_000 + random.nextInt(1_000_000);
            long seed = id * 1_000_000L + n;
            if (write(build, () -> client.get().putJson(build, "{\"phase\":\"Complete\"}")) == null) {
                return;
            }
            String log = text(size, seed);
            HttpResponse<String> stored = write(build + "/log", () -> client.get().putLog(build + "/log", log));
            if (stored == null) {
                return;
            }
            acknowledged.add(new Acknowledged(build, size, sha256(log), stored.statusCode()));
            pause(pauseMillis);
        }
    }

    /** Sends until acknowledged (2xx); null when the load stopped first. */
    private HttpResponse<String> write(String what, Supplier<HttpResponse<String>> request) {
        while (running.get()) {
            HttpResponse<String> response;
            try {
                response = request.get();
            } catch (UncheckedIOException | IllegalStateException down) {
                count("connection failed");
                pause(200);
                continue;
            }
            int status = response.statusCode();
            count(Integer.toString(status));
            if (status / 100 == 2) {
                return response;
            }
            boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
            if ((status == 503 || status == 507 || status == 429) && retryAfter) {
                pause(500); // told to come back (Retry-After: 5); sooner here to keep the run short
                continue;
            }
            violations.add(status + " on " + what + ": " + response.body());
            return response.statusCode() >= 500 || status == 404 ? null : response;
        }
        return null;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
        }
    }

    public List<Acknowledged> acknowledged() {
        return List.copyOf(acknowledged);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** How often each answer came ("201", "503", "connection failed", ...). */
    public Map<String, Long> answers() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        answers.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /**
     * Acknowledged logs that are not stored byte for byte (or still only in the spool after {@code timeout}): the
     * lost ones. Waits for each to be stored.
     */
    public List<String> notDurable(OsirisClient osiris, Duration timeout) throws IOException, InterruptedException {
        List<String> lost = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Acknowledged log : acknowledged) {
            HttpResponse<InputStream> got = null;
            while (System.nanoTime() < deadline) {
                try {
                    got = osiris.getStream(log.build() + "/log");
                } catch (UncheckedIOException e) {
                    Thread.sleep(200);
                    continue;
                }
                if (got.statusCode() == 200 && got.headers().firstValue("X-Osiris-Log-Pending").isEmpty()) {
                    break;
                }
                got.body().close();
                got = null;
                Thread.sleep(500);
            }
            if (got == null) {
                lost.add(log.build() + " not stored in time");
                continue;
            }
            try (InputStream body = got.body()) {
                String sha = LogStreams.sha256(body);
                if (!sha.equals(log.sha256())) {
                    lost.add(log.build() + " differs: sha256 " + sha + ", acknowledged " + log.sha256());
                }
            }
        }
        return lost;
    }

    private void count(String answer) {
        answers.computeIfAbsent(answer, a -> new AtomicLong()).incrementAndGet();
    }

    private static String text(long size, long seed) {
        try (InputStream in = LogStreams.text(size, seed)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String log) {
        try {
            return LogStreams.sha256(new java.io.ByteArrayInputStream(log.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
