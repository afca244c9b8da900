package io.osiris.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.OsirisApplication;
import io.osiris.support.OsirisClient;
import io.osiris.support.TestS3Server;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A search while storage is away says it is partial because of storage, never "no build matches". */
class SearchStorageOutageTest {

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
    void aSearchWhileStorageIsAwayIsPartialAndSaysWhy() throws Exception {
        s3 = new TestS3Server(data.resolve("s3")).start();
        osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + data.resolve("spool"));
        OsirisClient client = new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
        for (String name : new String[] {"b1", "b2"}) {
            client.putJson("/api/v1/namespaces/away/builds/" + name, "{\"phase\":\"Failed\"}");
            assertThat(client.putLog("/api/v1/namespaces/away/builds/" + name + "/log", "ERROR here\n").statusCode())
                    .isEqualTo(201);
        }
        assertThat(client.get("/api/v1/search?q=ERROR&namespace=away").body()).contains("\"matched\":2");

        s3.close();
        HttpResponse<String> search = client.get("/api/v1/search?q=ERROR&namespace=away");

        String[] lines = search.body().split("\n");
        JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]).path("summary");
        assertThat(summary.path("partial").asBoolean()).as(search.body()).isTrue();
        assertThat(summary.path("stoppedBy").asText()).isEqualTo("storage unavailable");
        assertThat(summary.path("matched").asLong()).isZero();
    }
}
