package io.osiris.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.OsirisApplication;
import io.osiris.support.Await;
import io.osiris.support.DevCertificates;
import io.osiris.support.OsirisClient;
import io.osiris.support.TcpProxy;
import io.osiris.support.TestDatabase;
import io.osiris.support.H2BrokenConnections;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The build database is a server that goes away and comes back (behind a proxy that the test cuts like a network
 * partition; PostgreSQL when the suite has one, else an H2 TCP server): Osiris starts without it, says not-ready,
 * answers 503 (never 404 or 500), and recovers by itself.
 */
class DatabaseOutageTest {

    @TempDir
    Path data;

    private final ObjectMapper json = new ObjectMapper();
    private Server database;
    private TcpProxy network;
    private ConfigurableApplicationContext osiris;

    @AfterEach
    void stop() throws Exception {
        if (osiris != null) {
            osiris.close();
        }
        if (network != null) {
            network.close();
        }
        if (database != null) {
            database.stop();
        }
    }

    @Test
    void withoutItsDatabaseOsirisIsNotReadyAnswers503AndRecoversWhenItReturns() throws Exception {
        List<String> settings = new ArrayList<>(List.of("--server.port=0",
                "--osiris.storage.endpoint=", "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                "--osiris.spool.directory=" + data.resolve("spool"),
                "--osiris.records.retry-interval=300ms",
                "--osiris.test.database=default"));
        if (TestDatabase.POSTGRES_URL != null && !TestDatabase.POSTGRES_URL.isBlank()) {
            // CI: the real PostgreSQL server, behind the proxy
            URI server = URI.create(TestDatabase.POSTGRES_URL.substring("jdbc:".length()));
            network = new TcpProxy(server.getPort());
            Map<String, Object> own = TestDatabase.properties("outage" + System.nanoTime() % 1_000_000);
            own.forEach((key, value) -> {
                if (!key.equals("spring.datasource.url")) {
                    settings.add("--" + key + "=" + value);
                }
            });
            settings.add("--spring.datasource.url=" + own.get("spring.datasource.url").toString()
                    .replace(":" + server.getPort() + "/", ":" + network.port() + "/"));
        } else {
            database = Server.createTcpServer("-tcpPort", String.valueOf(DevCertificates.freePort()),
                    "-ifNotExists").start();
            network = new TcpProxy(database.getPort());
            settings.add("--spring.datasource.url=jdbc:h2:tcp://127.0.0.1:" + network.port()
                    + "/mem:outage;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            settings.add("--spring.datasource.hikari.exception-override-class-name="
                    + H2BrokenConnections.class.getName());
        }
        osiris = new SpringApplicationBuilder(OsirisApplication.class).run(settings.toArray(String[]::new));
        OsirisClient client = new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
        String build = "/api/v1/namespaces/outage/builds/b-1";

        // started without a database: up, not ready, and every answer says "unavailable"
        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertUnavailable(client.putJson(build, "{\"phase\":\"Running\"}"));
        assertUnavailable(client.get(build));
        assertUnavailable(client.get("/api/v1/builds"));

        network.start();
        awaitReadiness(client, 200);
        assertThat(client.putJson(build, "{\"phase\":\"Running\"}").statusCode()).isEqualTo(200);
        assertThat(client.putLog(build + "/log", "kept\n").statusCode()).isEqualTo(201);

        network.cut();
        awaitReadiness(client, 503);
        assertUnavailable(client.get(build));
        assertUnavailable(client.putJson(build, "{\"phase\":\"Complete\"}"));
        assertUnavailable(client.get(build + "/log"));
        assertUnavailable(client.get("/build/info/page"));

        network.start();
        awaitReadiness(client, 200);
        assertThat(json.readTree(client.get(build).body()).path("phase").asText()).isEqualTo("Running");
        assertThat(client.get(build + "/log").body()).isEqualTo("kept\n");
    }

    private static void awaitReadiness(OsirisClient client, int status) throws InterruptedException {
        Await.value(Duration.ofSeconds(30),
                () -> client.get("/actuator/health/readiness").statusCode() == status ? true : null);
    }

    private void assertUnavailable(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        JsonNode error = json.readTree(response.body());
        assertThat(error.toString()).containsAnyOf("database", "unavailable");
    }
}
