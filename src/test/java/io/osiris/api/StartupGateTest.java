package io.osiris.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.OsirisApplication;
import io.osiris.support.OsirisClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** While the routes behind the API are not running, API calls get 503 with Retry-After, never 404. */
class StartupGateTest {

    @TempDir
    Path data;

    @Test
    void withoutItsRoutesTheApiAnswers503NotNotFound() throws Exception {
        try (ConfigurableApplicationContext osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0", "--osiris.storage.endpoint=", "--osiris.data-dir=" + data)) {
            OsirisClient client = new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
            client.putJson("/api/v1/namespaces/gate/builds/b1", "{\"phase\":\"New\"}");
            assertThat(client.get("/api/v1/namespaces/gate/builds/b1").statusCode()).isEqualTo(200);

            // the window between Tomcat taking requests and the routes existing (or after they stopped)
            osiris.getBean(CamelContext.class).stop();
            for (String path : java.util.List.of("/api/v1/namespaces/gate/builds/b1", "/build/info/b1", "/")) {
                HttpResponse<String> reply = client.get(path);
                assertThat(reply.statusCode()).as(path).isEqualTo(503);
                assertThat(reply.headers().firstValue("Retry-After")).as(path).hasValue("5");
                assertThat(reply.body()).contains("\"status\":503").contains("starting");
            }
            assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        }
    }
}
