package io.osiris.buildlog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.osiris.buildlog.LogMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.osiris.OsirisApplication;
import io.osiris.records.BuildRef;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.StorageProperties;
import io.osiris.support.Await;
import io.osiris.support.LogStreams;
import io.osiris.support.OsirisClient;
import io.osiris.support.TestS3Server;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** No log is lost: spooled logs survive a crash and a failed upload, and are stored once storage takes them. */
class SpoolRecoveryTest {

    @TempDir
    Path data;

    private TestS3Server s3;
    private ConfigurableApplicationContext osiris;

    @BeforeEach
    void storage() throws Exception {
        s3 = new TestS3Server(data.resolve("s3"));
    }

    @AfterEach
    void stop() throws Exception {
        if (osiris != null) {
            osiris.close();
        }
        s3.close();
    }

    @Test
    void aLogLeftInTheSpoolByACrashIsStoredAtStart() throws Exception {
        s3.start();
        OsirisClient client = startOsiris();
        client.putJson("/api/v1/namespaces/crash/builds/b1", "{\"phase\":\"Complete\"}");
        osiris.close();
        osiris = null;

        // what a crash between spooling and upload leaves: a complete spool file, and a torn one
        spooler().spool(LogStreams.text(3_000_000, 11), new BuildRef("local", "crash", "b1", null), Long.MAX_VALUE);
        Files.writeString(spool().resolve("torn.log"), "half a log");

        client = startOsiris();

        HttpResponse<String> log = await(client, "/api/v1/namespaces/crash/builds/b1/log");
        assertThat(LogStreams.sha256(new java.io.ByteArrayInputStream(log.body().getBytes())))
                .isEqualTo(LogStreams.sha256(LogStreams.text(3_000_000, 11)));
        awaitEmptySpool();
    }

    @Test
    void aLeftoverNeverOverwritesALogOfTheSameBuildStoredAfterItWasReceived() throws Exception {
        s3.start();
        OsirisClient client = startOsiris();
        client.putJson("/api/v1/namespaces/order/builds/b1", "{\"phase\":\"Complete\"}");
        assertThat(client.putLog("/api/v1/namespaces/order/builds/b1/log", "the newest log\n").statusCode())
                .isEqualTo(201);

        // then a leftover turns up that was received an hour ago (written aside, moved in sidecar first)
        Path aside = data.resolve("aside");
        SpooledLog old = spooler(aside).spool(LogStreams.text(10_000, 1), new BuildRef("local", "order", "b1", null),
                Long.MAX_VALUE);
        String hourAgo = String.format("%016x", java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH,
                java.time.Instant.now().minusSeconds(3600))) + old.id().substring(16);
        Files.move(aside.resolve(old.id() + ".json"), spool().resolve(hourAgo + ".json"));
        Files.move(old.file(), spool().resolve(hourAgo + ".log"));

        awaitEmptySpool();
        assertThat(client.get("/api/v1/namespaces/order/builds/b1/log").body()).isEqualTo("the newest log\n");
    }

    @Test
    void aLogWhoseUploadFailsIsKeptAndStoredWhenStorageTakesIt() throws Exception {
        s3.start(64 * 1024); // refuses the log object below
        OsirisClient client = startOsiris();
        client.putJson("/api/v1/namespaces/flaky/builds/b1", "{\"phase\":\"Failed\"}");

        HttpResponse<String> put = client.putLog("/api/v1/namespaces/flaky/builds/b1/log",
                LogStreams.text(2_000_000, 5));

        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
        assertThat(put.body()).contains("\"pending\":true");
        HttpResponse<String> pending = client.get("/api/v1/namespaces/flaky/builds/b1/log");
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(pending.body().length()).isEqualTo(2_000_000);
        assertThat(pending.headers().firstValue("X-Osiris-Log-Pending")).hasValue("true");
        try (Stream<Path> files = Files.list(spool())) {
            assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .hasSize(2).anyMatch(n -> n.endsWith(".log")).anyMatch(n -> n.endsWith(".json"));
        }

        s3.stop();
        s3.start();

        HttpResponse<String> log = await(client, "/api/v1/namespaces/flaky/builds/b1/log");
        assertThat(log.body().length()).isEqualTo(2_000_000);
        awaitEmptySpool();
    }

    private OsirisClient startOsiris() {
        osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + spool(),
                "--osiris.spool.retry-interval=1s");
        return new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
    }

    private LogSpooler spooler() throws Exception {
        return spooler(spool());
    }

    private LogSpooler spooler(Path directory) throws Exception {
        StorageProperties storage = new StorageProperties(s3.endpoint(), "us-east-1", "osiris-build-logs", "",
                TestS3Server.ACCESS_KEY, TestS3Server.SECRET_KEY, StorageProperties.Compression.gzip, 6, 8388608,
                new StorageProperties.Embedded(data.resolve("unused"), 0));
        return new LogSpooler(new SpoolProperties(directory, Duration.ofSeconds(1), org.springframework.util.unit.DataSize.ofGigabytes(8)),
                new BuildKeys("", StorageProperties.Compression.gzip), storage,
                JsonMapper.builder().findAndAddModules().build(), new LiveLogs(),
                new LogMetrics(new SimpleMeterRegistry()), new io.osiris.records.HomeCluster("local"));
    }

    private Path spool() {
        return data.resolve("spool");
    }

    private static HttpResponse<String> await(OsirisClient client, String path) throws InterruptedException {
        return awaitValue(() -> {
            HttpResponse<String> response = client.get(path);
            return response.statusCode() == 200 ? response : null;
        });
    }

    private void awaitEmptySpool() throws Exception {
        awaitValue(() -> {
            try (Stream<Path> files = Files.list(spool())) {
                return files.filter(Files::isRegularFile).findAny().isEmpty() ? Boolean.TRUE : null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static <T> T awaitValue(Supplier<T> probe) throws InterruptedException {
        return Await.value(Duration.ofSeconds(20), probe);
    }
}
