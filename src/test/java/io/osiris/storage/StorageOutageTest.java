package io.osiris.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.OsirisApplication;
import io.osiris.support.Await;
import io.osiris.support.OsirisClient;
import io.osiris.support.TestS3Server;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Osiris started while its S3 storage is down: it runs, says not-ready, takes build info and logs (the log kept in
 * the spool, 202 pending), never answers 404 for what it holds, and ships everything once the storage is there.
 */
class StorageOutageTest {

    @TempDir
    Path data;

    private TestS3Server s3;
    private ConfigurableApplicationContext osiris;

    @AfterEach
    void stop() throws Exception {
        if (osiris != null) {
            osiris.close();
        }
        s3.close();
    }

    @Test
    void startedWithoutStorageItTakesWritesAndShipsThemWhenStorageComes() throws Exception {
        s3 = new TestS3Server(data.resolve("s3")); // not started: connection refused
        osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + data.resolve("spool"),
                "--osiris.spool.retry-interval=1s",
                "--osiris.records.retry-interval=1s");
        OsirisClient client = new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
        String build = "/api/v1/namespaces/early/builds/b1";

        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(client.putJson(build, "{\"phase\":\"Complete\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> log = client.putLog(build + "/log", "kept while storage was away\n");
        assertThat(log.statusCode()).as(log.body()).isEqualTo(202);
        assertThat(log.body()).contains("\"pending\":true");
        HttpResponse<String> info = client.get(build);
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"pending\":true");
        // the log is answered from the spool until it is shipped
        HttpResponse<String> journal = client.get(build + "/log");
        assertThat(journal.statusCode()).isEqualTo(200);
        assertThat(journal.body()).isEqualTo("kept while storage was away\n");
        assertThat(journal.headers().firstValue("X-Osiris-Log-Pending")).hasValue("true");

        s3.start();
        Await.value(Duration.ofSeconds(30),
                () -> client.get("/actuator/health/readiness").statusCode() == 200 ? true : null);
        HttpResponse<String> shipped = Await.value(Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = client.get(build + "/log");
            return r.statusCode() == 200 && r.headers().firstValue("X-Osiris-Log-Pending").isEmpty() ? r : null;
        });
        assertThat(shipped.body()).isEqualTo("kept while storage was away\n");
        try (S3Client bucket = s3.client()) {
            String copy = Await.value(Duration.ofSeconds(30), () -> {
                try {
                    return bucket.getObjectAsBytes(r -> r.bucket("osiris-build-logs")
                            .key("builds/local/early/b1/_/build.json")).asUtf8String();
                } catch (RuntimeException notYet) {
                    return null;
                }
            });
            assertThat(new ObjectMapper().readTree(copy).path("log").path("storedAt").isTextual()).isTrue();
        }
    }
}
