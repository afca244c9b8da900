package io.osiris.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.OsirisApplication;
import io.osiris.support.OsirisClient;
import io.osiris.support.TestS3Server;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.services.s3.S3Client;

/** Two replicas sharing the database and the bucket, changing the same builds at the same time. */
class ConcurrentReplicasTest {

    private static final int BUILDS = 30;

    @TempDir
    Path data;

    private final ObjectMapper json = new ObjectMapper();
    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private TestS3Server s3;

    @BeforeEach
    void storage() throws Exception {
        s3 = new TestS3Server(data.resolve("s3")).start();
    }

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(ConfigurableApplicationContext::close);
        s3.close();
    }

    @Test
    void updatesOfOneBuildFromTwoReplicasAtOnceLoseNoField() throws Exception {
        String database = "replicas" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        OsirisClient a = replica("a", database);
        OsirisClient b = replica("b", database);
        for (int i = 0; i < BUILDS; i++) {
            assertThat(a.putJson(path(i), "{\"phase\":\"New\"}").statusCode()).isIn(200, 201);
        }

        // every build gets five changes, each adding another field, spread over both replicas and run at once
        List<Callable<HttpResponse<String>>> changes = new ArrayList<>();
        for (int i = 0; i < BUILDS; i++) {
            String path = path(i);
            int n = i;
            changes.add(() -> a.putJson(path, "{\"phase\":\"Running\"}"));
            changes.add(() -> b.putJson(path, "{\"phase\":\"Running\",\"message\":\"message " + n + "\"}"));
            changes.add(() -> a.putJson(path, "{\"phase\":\"Running\",\"labels\":{\"team\":\"t" + n + "\"}}"));
            changes.add(() -> b.putJson(path, "{\"phase\":\"Running\",\"startTimestamp\":\"2026-12-01T10:00:00Z\"}"));
            changes.add(() -> (n % 2 == 0 ? a : b).putLog(path + "/log", "log of " + n + "\n"));
        }
        Collections.shuffle(changes);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (Future<HttpResponse<String>> done : pool.invokeAll(changes)) {
                assertThat(done.get().statusCode()).as(done.get().body()).isIn(200, 201);
            }
        } finally {
            pool.shutdownNow();
        }

        try (S3Client bucket = bucketClient()) {
            for (int i = 0; i < BUILDS; i++) {
                for (OsirisClient replica : List.of(a, b)) {
                    JsonNode build = json.readTree(replica.get(path(i)).body());
                    assertThat(build.path("phase").asText()).isEqualTo("Running");
                    assertThat(build.path("message").asText()).isEqualTo("message " + i);
                    assertThat(build.path("labels").path("team").asText()).isEqualTo("t" + i);
                    assertThat(build.path("startTimestamp").asText()).isEqualTo("2026-12-01T10:00:00Z");
                    assertThat(build.path("log").path("size").asLong()).as(path(i)).isEqualTo(("log of " + i + "\n").length());
                }
                // the bucket's copy is the last state too: a reindex would give the same record
                String key = "builds/local/same/" + name(i) + "/_/build.json";
                JsonNode copy = json.readTree(bucket.getObjectAsBytes(r -> r.bucket("osiris-build-logs").key(key))
                        .asByteArray());
                assertThat(copy).isEqualTo(json.readTree(a.get(path(i)).body()));
            }
        }
    }

    private static String name(int i) {
        return "b-" + i;
    }

    private static String path(int i) {
        return "/api/v1/namespaces/same/builds/" + name(i);
    }

    private S3Client bucketClient() {
        return s3.client();
    }

    private OsirisClient replica(String name, String database) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + data.resolve("spool-" + name),
                "--osiris.test.database=" + database,
                // many writers at once from this one address is the point here, not what admission refuses
                "--osiris.admission.max-uploads=64", "--osiris.admission.max-uploads-per-client=64");
        replicas.add(context);
        return new OsirisClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
