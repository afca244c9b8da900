package io.osiris.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.OsirisApplication;
import io.osiris.support.DevCertificates;
import io.osiris.support.OsirisClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * As the OpenShift template runs it: access checks on, probes and metrics on a management port of their own, which
 * the kubelet and the cluster's Prometheus reach without a token and no Route publishes.
 */
class ManagementPortTest {

    @TempDir
    Path data;

    @Test
    void probesAndMetricsLiveOnTheManagementPortWithoutATokenAndNotOnTheServicePort() throws Exception {
        Path tokens = Files.writeString(data.resolve("tokens.yaml"), "tokens: []\n");
        int management = DevCertificates.freePort();
        try (ConfigurableApplicationContext osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--management.server.port=" + management,
                "--osiris.auth.mode=tokens",
                "--osiris.auth.tokens-file=" + tokens,
                "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                "--osiris.spool.directory=" + data.resolve("spool"))) {
            OsirisClient service = new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
            OsirisClient scraper = new OsirisClient(management);

            assertThat(scraper.get("/actuator/prometheus").statusCode()).isEqualTo(200);
            assertThat(scraper.get("/actuator/prometheus").body()).contains("osiris_");
            String readiness = scraper.get("/actuator/health/readiness").body();
            assertThat(readiness).contains("\"status\":\"UP\"").doesNotContain("components");

            // the service port (the one the Route publishes) serves no metrics to an anonymous caller
            assertThat(service.get("/actuator/prometheus").statusCode()).isEqualTo(401);
            assertThat(service.get("/api/v1/namespaces/team-a/builds").statusCode()).isEqualTo(401);
        }
    }
}
