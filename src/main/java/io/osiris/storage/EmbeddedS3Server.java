package io.osiris.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * An S3-compatible server (s3proxy over the local file system) for running without Ceph. Osiris talks to it through
 * the same S3 client and Camel endpoints as to Ceph RGW; its objects stay on disk across restarts.
 * <p>
 * It starts on a thread of its own, beside the rest of the service's start (its injector and web server take about a
 * second of CPU); its address is known at once, so the S3 client can be made before it answers. Until it does, the
 * storage is simply not reachable yet, as Ceph can be at start: readiness waits for it.
 */
public class EmbeddedS3Server implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Server.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final StorageProperties properties;
    private final URI endpoint;
    private final CompletableFuture<Running> started = new CompletableFuture<>();
    private volatile String startFailure;

    private record Running(S3Proxy proxy, BlobStoreContext blobStoreContext) {
    }

    public EmbeddedS3Server(StorageProperties properties) throws IOException {
        this.properties = properties;
        StorageProperties.Embedded embedded = properties.embedded();
        Files.createDirectories(embedded.directory());
        endpoint = URI.create("http://127.0.0.1:" + (embedded.port() != 0 ? embedded.port() : freeLoopbackPort()));
        Thread start = new Thread(this::start, "osiris-embedded-s3-start");
        start.setDaemon(true);
        start.start();
    }

    /** Where it answers (once started). */
    public URI endpoint() {
        return endpoint;
    }

    /** Waits until it answers; fails with the reason it could not start. */
    public void awaitStarted() {
        try {
            started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the embedded S3 server starts", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(startFailure, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("embedded S3 server not started after " + START_TIMEOUT.toSeconds()
                    + " s");
        }
    }

    /** Why it does not answer when its start failed; empty while it starts and once it runs. */
    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    private void start() {
        BlobStoreContext blobStoreContext = null;
        try {
            Properties overrides = new Properties();
            overrides.setProperty("jclouds.filesystem.basedir",
                    properties.embedded().directory().toAbsolutePath().toString());
            blobStoreContext = ContextBuilder.newBuilder("filesystem")
                    .credentials(properties.accessKey(), properties.secretKey())
                    .overrides(overrides)
                    .build(BlobStoreContext.class);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(blobStoreContext.getBlobStore())
                    .endpoint(endpoint)
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, properties.accessKey(),
                            properties.secretKey())
                    .build();
            proxy.start();
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!"STARTED".equals(proxy.getState())) {
                if (!"STARTING".equals(proxy.getState()) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("state " + proxy.getState());
                }
                Thread.sleep(20);
            }
            started.complete(new Running(proxy, blobStoreContext));
            LOG.info("Embedded S3 server at {} keeps its data in {}", endpoint,
                    properties.embedded().directory().toAbsolutePath());
        } catch (Exception e) {
            if (blobStoreContext != null) {
                blobStoreContext.close();
            }
            LOG.error("Embedded S3 server did not start at {}: {}", endpoint, e.toString());
            startFailure = "embedded S3 server did not start: " + e.getMessage();
            started.completeExceptionally(e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for the embedded S3 server", e);
        }
    }

    @Override
    public void destroy() throws Exception {
        Running running;
        try {
            running = started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException notStarted) {
            return;
        }
        running.proxy().stop();
        running.blobStoreContext().close();
    }
}
