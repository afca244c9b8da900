package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.support.DevCertificates;
import io.osiris.support.LogStreams;
import io.osiris.support.OsirisClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML routes run under Camel JBang as the README tells integrators: {@code jbang/camel run} (the Camel JBang
 * command line from Maven Central) with the beans of jbang/osiris-beans.camel.yaml, on the embedded S3 server.
 */
class CamelJBangIT {

    @TempDir
    Path work;

    private Process camel;
    private Path output;
    private OsirisClient client;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void run() throws Exception {
        int port = DevCertificates.freePort();
        Path root = Path.of("").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(root.resolve("jbang/camel").toString(), "run",
                "--properties=" + root.resolve("jbang/application.properties"), "--max-seconds=600"));
        try (Stream<Path> routes = Files.list(root.resolve("src/main/resources/routes"))) {
            // the watcher, cluster registration, gRPC and retention schedule routes need the Spring Boot service
            routes.filter(r -> !r.getFileName().toString()
                            .matches("(build-watch|clusters-api|grpc-api|retention-schedule)\\.camel\\.yaml"))
                    .sorted().forEach(r -> command.add(r.toString()));
        }
        command.add(root.resolve("jbang/osiris-beans.camel.yaml").toString());
        output = work.resolve("camel.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("OSIRIS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("OSIRIS_DATA_DIR", work.resolve("data").toString());
        builder.environment().put("OSIRIS_SPOOL_DIR", work.resolve("data/spool").toString());
        camel = builder.start();
        client = new OsirisClient(port);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline && camel.isAlive()) {
            try {
                if (client.get("/probes/readiness").statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("camel run did not become ready:\n" + tail());
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.destroy();
            if (!camel.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                camel.destroyForcibly();
            }
        }
    }

    @Test
    void theRoutesStoreAndServeALogUnderCamelJBang() throws Exception {
        HttpResponse<String> build = client.putJson("/api/v1/namespaces/jbang/builds/b1",
                "{\"phase\":\"Complete\",\"completionTimestamp\":\"2026-11-29T10:00:00Z\"}");
        assertThat(build.statusCode()).as(tail()).isEqualTo(200);
        assertThat(json.readTree(build.body()).path("completionTimestamp").asText()).isEqualTo("2026-11-29T10:00:00Z");

        byte[] log = LogStreams.buildLog(3 * 1024 * 1024, 7).readAllBytes();
        HttpResponse<String> stored = client.putLog("/api/v1/namespaces/jbang/builds/b1/log",
                new java.io.ByteArrayInputStream(log));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        JsonNode info = json.readTree(stored.body());
        assertThat(info.path("size").asLong()).isEqualTo(log.length);
        assertThat(info.path("encoding").asText()).isEqualTo("gzip");
        assertThat(info.path("storedSize").asLong()).isLessThan(log.length);

        HttpResponse<byte[]> back = client.send(java.net.http.HttpRequest.newBuilder(
                client.uri("/api/v1/namespaces/jbang/builds/b1/log")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).isEqualTo(log);
        assertThat(client.get("/api/v1/namespaces/jbang/builds/b1/log", "Range", "bytes=0-9").body())
                .isEqualTo(new String(log, 0, 10, java.nio.charset.StandardCharsets.UTF_8));

        // bad input: a JSON error naming the field; unknown builds: 404; the legacy door answers too
        HttpResponse<String> bad = client.putJson("/api/v1/namespaces/jbang/builds/b2", "{\"phase\":\"Done\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json.readTree(bad.body()).path("field").asText()).isEqualTo("phase");
        assertThat(client.get("/api/v1/namespaces/jbang/builds/nope").statusCode()).isEqualTo(404);
        JsonNode page = json.readTree(client.get("/build/info/page").body());
        assertThat(page.path("data").path("status").path("code").asInt()).isEqualTo(200);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(output);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
