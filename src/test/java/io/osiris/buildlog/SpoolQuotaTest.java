package io.osiris.buildlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.LogStreams;
import io.osiris.support.RunningOsiris;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** A full spool answers 507 with Retry-After at the REST and legacy doors, and keeps nothing of the refused log. */
@TestPropertySource(properties = "osiris.spool.max-size=64KB")
class SpoolQuotaTest extends RunningOsiris {

    @Autowired
    SpoolProperties spool;

    @Test
    void aLogThatWouldOverfillTheSpoolIsRefusedWith507() throws IOException {
        client.putJson("/api/v1/namespaces/quota/builds/b1", "{\"phase\":\"Complete\"}");
        // random letters compress badly: 1 MB of them passes 64 KB of spool
        HttpResponse<String> refused = client.putLog("/api/v1/namespaces/quota/builds/b1/log",
                LogStreams.text(1_000_000, 7));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(parse(refused.body()).path("message").asText()).contains("spool");
        assertThat(client.get("/api/v1/namespaces/quota/builds/b1/log").statusCode()).isEqualTo(404);
        assertThat(spoolFiles()).isEmpty();

        client.putJson("/build/completed/quota-legacy", "{\"build_id\":\"quota-legacy\",\"build_status\":\"BuildCompleted\"}");
        HttpResponse<String> legacy = client.put("/build/logs/quota-legacy", "application/json",
                "{\"data\":\"" + new String(LogStreams.text(1_000_000, 8).readAllBytes()).replace("\n", "\\n")
                        .replace("\"", "\\\"") + "\"}");
        assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(507);
        assertThat(spoolFiles()).isEmpty();

        // a small log still fits
        assertThat(client.putLog("/api/v1/namespaces/quota/builds/b1/log", "short\n").statusCode()).isEqualTo(201);
    }

    private java.util.List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool.directory())) {
            return files.filter(f -> f.toString().endsWith(".log")).toList();
        }
    }
}
