package io.osiris.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A GET of a live tail (or any followed stream), read on a thread of its own as it arrives (its headers may come
 * late: a follower waiting for a log to start). Blocking calls get their own threads, not the common pool (one worker
 * on a two-core machine).
 */
public final class FollowedReply {

    private static final ExecutorService THREADS = Executors.newCachedThreadPool();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    /** Done when the reply has ended. */
    public final CompletableFuture<Void> done;
    private volatile HttpResponse<InputStream> response;

    private FollowedReply(CompletableFuture<HttpResponse<InputStream>> pending) {
        done = pending.thenAcceptAsync(r -> {
            response = r;
            copy(r.body());
        }, THREADS);
    }

    private FollowedReply(InputStream stream) {
        done = CompletableFuture.runAsync(() -> copy(stream), THREADS);
    }

    private void copy(InputStream stream) {
        try (InputStream in = stream) {
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) != -1) {
                synchronized (bytes) {
                    bytes.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FollowedReply of(OsirisClient client, String path, String... headers) {
        return new FollowedReply(CompletableFuture.supplyAsync(() -> client.getStream(path, headers), THREADS));
    }

    /** A stream read to its end as it arrives (a live log's follower). */
    public static FollowedReply reading(InputStream stream) {
        return new FollowedReply(stream);
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    public String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
