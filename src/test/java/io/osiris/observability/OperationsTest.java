package io.osiris.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.OsirisApplication;
import io.osiris.support.GrafanaDashboard;
import io.osiris.support.LogStreams;
import io.osiris.support.OsirisClient;
import io.osiris.support.PrometheusScrape;
import io.osiris.support.TestS3Server;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What an operator sees: Prometheus metrics that follow stored, refused and pending logs, and health groups that
 * mean something (readiness falls with the storage, liveness does not; the legacy probes say the same).
 */
class OperationsTest {

    private static final long MAX_SINGLE_PART = 200_000;

    @TempDir
    Path data;

    private TestS3Server s3;
    private ConfigurableApplicationContext osiris;
    private OsirisClient client;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        // the S3 server refuses single-part objects above 200 kB: such uploads fail and stay in the spool
        s3 = new TestS3Server(data.resolve("s3")).start(MAX_SINGLE_PART);
        osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.storage.compression-level=1",
                "--osiris.spool.directory=" + data.resolve("spool"),
                "--osiris.spool.retry-interval=1h",
                "--osiris.api.max-log-size=2MB");
        client = new OsirisClient(((WebServerApplicationContext) osiris).getWebServer().getPort());
    }

    @AfterEach
    void stop() throws Exception {
        osiris.close();
        s3.close();
    }

    @Test
    void aStoredLogIsCountedWithItsBytesAndLatency() throws Exception {
        Instant ended = Instant.now().minusSeconds(3);
        put("/api/v1/namespaces/metrics/builds/b1", "{\"phase\":\"Complete\",\"completionTimestamp\":\"" + ended + "\"}");
        PrometheusScrape before = PrometheusScrape.of(client);

        HttpResponse<String> stored = client.putLog("/api/v1/namespaces/metrics/builds/b1/log",
                LogStreams.buildLog(100_000, 1));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        JsonNode log = json.readTree(stored.body());
        PrometheusScrape after = PrometheusScrape.of(client);

        assertThat(after.value("osiris_logs_stored_total", "cluster=\"local\"", "namespace=\"metrics\"", "phase=\"Complete\""))
                .isEqualTo(1);
        assertThat(delta(before, after, "osiris_log_received_bytes_total")).isEqualTo(100_000);
        assertThat(delta(before, after, "osiris_log_stored_bytes_total")).isEqualTo(log.path("storedSize").asLong());
        assertThat(log.path("storedSize").asLong()).isLessThan(100_000);
        assertThat(delta(before, after, "osiris_log_store_latency_seconds_count")).isEqualTo(1);
        // the build ended 3 s before the log was stored
        assertThat(delta(before, after, "osiris_log_store_latency_seconds_sum")).isBetween(3.0, 60.0);
        assertThat(after.value("osiris_log_store_latency_seconds_bucket", "le=\"1.0\"")).isZero();
        // the S3 calls it took: the log and the record's copy written; the record itself is read from the database
        assertThat(after.value("osiris_s3_requests_total", "operation=\"PutObject\"", "outcome=\"success\"")
                - before.value("osiris_s3_requests_total", "operation=\"PutObject\"", "outcome=\"success\""))
                .isEqualTo(2);
        assertThat(after.value("osiris_s3_requests_total", "operation=\"GetObject\"")
                - before.value("osiris_s3_requests_total", "operation=\"GetObject\"")).isZero();
        assertThat(after.value("osiris_s3_requests_total", "operation=\"ListObjectsV2\"")
                - before.value("osiris_s3_requests_total", "operation=\"ListObjectsV2\"")).isZero();
        // Camel's own route metrics
        assertThat(after.value("camel_route_policy_seconds_count", "routeId=\"log-archive-upload\"")).isPositive();
        assertThat(after.value("camel_exchanges_total", "routeId=\"log-archive-upload\"")).isPositive();

        // the same bytes again: nothing uploaded, counted as unchanged
        assertThat(client.putLog("/api/v1/namespaces/metrics/builds/b1/log", LogStreams.buildLog(100_000, 1))
                .statusCode()).isEqualTo(200);
        PrometheusScrape again = PrometheusScrape.of(client);
        assertThat(delta(after, again, "osiris_logs_unchanged_total")).isEqualTo(1);
        assertThat(again.value("osiris_logs_stored_total", "namespace=\"metrics\"")).isEqualTo(1);
    }

    @Test
    void refusedAndPendingLogsShowAsNotStoredAndBacklog() throws Exception {
        put("/api/v1/namespaces/metrics/builds/big", "{\"phase\":\"Failed\"}");
        HttpResponse<String> tooLarge = client.putLog("/api/v1/namespaces/metrics/builds/big/log",
                LogStreams.text(3 * 1024 * 1024, 2));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        PrometheusScrape refused = PrometheusScrape.of(client);
        assertThat(refused.value("osiris_logs_not_stored_total", "reason=\"too_large\"")).isEqualTo(1);
        assertThat(refused.value("osiris_spool_backlog_files")).isZero();

        // random text barely compresses: over the S3 server's single-part limit, the upload fails
        HttpResponse<String> pending = client.putLog("/api/v1/namespaces/metrics/builds/big/log",
                LogStreams.text(1024 * 1024, 3));
        assertThat(pending.statusCode()).as(pending.body()).isEqualTo(202);
        long storedSize = json.readTree(pending.body()).path("storedSize").asLong();
        assertThat(storedSize).isGreaterThan(MAX_SINGLE_PART);
        PrometheusScrape backlog = PrometheusScrape.of(client);
        assertThat(backlog.value("osiris_log_upload_failures_total")).isEqualTo(1);
        assertThat(backlog.value("osiris_spool_backlog_files")).isEqualTo(1);
        assertThat(backlog.value("osiris_spool_backlog_bytes")).isEqualTo(storedSize);
        assertThat(backlog.value("osiris_logs_stored_total")).isZero();
    }

    @Test
    void everyMetricTheDashboardChartsIsExported() throws Exception {
        put("/api/v1/namespaces/metrics/builds/b2", "{\"phase\":\"Complete\"}");
        client.putLog("/api/v1/namespaces/metrics/builds/b2/log", LogStreams.buildLog(10_000, 1));
        client.putLog("/api/v1/namespaces/metrics/builds/missing/log", LogStreams.buildLog(10, 1)); // a failure
        PrometheusScrape scrape = PrometheusScrape.of(client);

        Set<String> charted = GrafanaDashboard.metrics("");
        // with a cluster watched: BuildWatcherTest
        charted.removeIf(name -> name.startsWith("osiris_watch") || name.startsWith("osiris_cluster"));
        assertThat(charted).hasSizeGreaterThan(10).allSatisfy(name -> assertThat(scrape.has(name)).as(name).isTrue());
    }

    @Test
    void readinessFollowsTheStorageAndLivenessDoesNot() throws Exception {
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(client.get("/probes/readiness").statusCode()).isEqualTo(200);

        s3.stop();

        HttpResponse<String> readiness = client.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(json.readTree(readiness.body()).path("components").path("storage").path("status").asText())
                .isEqualTo("DOWN");
        HttpResponse<String> legacy = client.get("/probes/readiness");
        assertThat(legacy.statusCode()).isEqualTo(503);
        assertThat(legacy.body()).doesNotContain("Exception");
        assertThat(client.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(client.get("/probes/liveness").statusCode()).isEqualTo(200);
        // metrics stay available while the storage is away
        assertThat(PrometheusScrape.of(client).has("osiris_spool_backlog_files")).isTrue();
    }

    private void put(String path, String body) {
        HttpResponse<String> response = client.putJson(path, body);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name) {
        return after.value(name) - before.value(name);
    }
}
