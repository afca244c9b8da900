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

/**
 * The README's run command keeps its data: the records in the embedded database ({data}/db) and the logs in the
 * embedded S3 server ({data}/s3) are there after a restart.
 */
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

        assertThat(data.resolve("db/osiris.mv.db")).isRegularFile();
        // without its bucket copy the record can only come back from the database itself
        Path copy = data.resolve("s3/osiris-build-logs/builds/local/kept/b1/_/build.json");
        assertThat(copy).isRegularFile();
        copy.toFile().delete();

        try (ConfigurableApplicationContext second = start()) {
            OsirisClient client = client(second);
            assertThat(client.get("/api/v1/namespaces/kept/builds/b1").body()).contains("\"phase\":\"Complete\"");
            assertThat(client.get("/api/v1/namespaces/kept/builds/b1/log").body()).isEqualTo("still here\n");
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(OsirisApplication.class).run("--server.port=0",
                "--osiris.storage.endpoint=", "--osiris.data-dir=" + data, "--osiris.test.database=default");
    }

    private static OsirisClient client(ConfigurableApplicationContext context) {
        return new OsirisClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
