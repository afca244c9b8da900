package io.osiris.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.OsirisApplication;
import io.osiris.support.OsirisClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The README's run command keeps its data: what the embedded S3 server stored is there after a restart. */
class EmbeddedStorageRestartTest {

    @TempDir
    Path data;

    @Test
    void buildsStoredInTheEmbeddedServerSurviveARestart() {
        try (ConfigurableApplicationContext first = start()) {
            OsirisClient client = client(first);
            client.putJson("/api/v1/namespaces/kept/builds/b1", "{\"phase\":\"Complete\"}");
            assertThat(client.putLog("/api/v1/namespaces/kept/builds/b1/log", "still here\n").statusCode())
                    .isEqualTo(201);
        }

        try (ConfigurableApplicationContext second = start()) {
            assertThat(client(second).get("/api/v1/namespaces/kept/builds/b1/log").body()).isEqualTo("still here\n");
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(OsirisApplication.class).run("--server.port=0",
                "--osiris.storage.endpoint=", "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                "--osiris.spool.directory=" + data.resolve("spool"));
    }

    private static OsirisClient client(ConfigurableApplicationContext context) {
        return new OsirisClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
