package io.osiris.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.OsirisApplication;
import io.osiris.support.OsirisClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
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

    @Test
    void saysWhyWhenTheEmbeddedServerCannotStart() throws Exception {
        // bound, not listening: the server cannot bind it, and the service's calls to it are refused at once
        try (Socket taken = new Socket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertReadinessSaysWhy(taken.getLocalPort());
        }
    }

    private void assertReadinessSaysWhy(int takenPort) {
        try (ConfigurableApplicationContext context = start("--osiris.storage.embedded.port=" + takenPort)) {
            HttpResponse<String> readiness = client(context).get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("embedded S3 server did not start")
                    .contains(String.valueOf(takenPort));
        }
    }

    private ConfigurableApplicationContext start(String... more) {
        String[] arguments = {"--server.port=0", "--osiris.storage.endpoint=", "--osiris.data-dir=" + data,
            "--osiris.test.database=default"};
        return new SpringApplicationBuilder(OsirisApplication.class)
                .run(Stream.concat(Arrays.stream(arguments), Arrays.stream(more)).toArray(String[]::new));
    }

    private static OsirisClient client(ConfigurableApplicationContext context) {
        return new OsirisClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
