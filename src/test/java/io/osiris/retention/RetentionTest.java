package io.osiris.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.PrometheusScrape;
import io.osiris.support.RunningOsiris;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.test.context.TestPropertySource;

/**
 * Retention policies over records with old timestamps: the dry run lists exactly what a pass then deletes (logs,
 * records and bucket copies), nothing on legal hold, nothing among the newest of its BuildConfig, nothing running.
 */
@AutoConfigureObservability
@TestPropertySource(properties = {
        "osiris.retention.first-run=1h",
        "osiris.retention.keep-last=1",
        "osiris.retention.policies[0].name=dev",
        "osiris.retention.policies[0].clusters=dev",
        "osiris.retention.policies[0].max-age=2d",
        "osiris.retention.policies[1].name=failed",
        "osiris.retention.policies[1].phases=Failed,Error",
        "osiris.retention.policies[1].max-age=365d",
        "osiris.retention.policies[2].name=complete",
        "osiris.retention.policies[2].phases=Complete",
        "osiris.retention.policies[2].max-age=30d"})
class RetentionTest extends RunningOsiris {

    private static final String NS = "/api/v1/namespaces/ret-a/builds/";
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void aPassDeletesExactlyWhatItsDryRunListedAndNothingOnHold() throws Exception {
        build("old-complete-1", "Complete", 40, "app", true);
        build("old-complete-2", "Complete", 35, "app", true);
        build("new-complete", "Complete", 5, "app", true);
        build("old-failed", "Failed", 100, null, true);
        build("ancient-failed", "Failed", 400, null, false);
        build("held-complete", "Complete", 60, null, true);
        build("only-of-its-config", "Complete", 90, "lonely", true);
        build("running-for-ages", "Running", 400, null, false);
        // the same BuildConfig in another cluster is a BuildConfig of its own: the newest of it is kept too
        Instant older = now.minus(Duration.ofDays(95));
        assertThat(client.putJson(NS + "lonely-at-the-edge?cluster=edge", "{\"phase\":\"Complete\",\"startTimestamp\":\""
                + older + "\",\"completionTimestamp\":\"" + older + "\",\"labels\":{\"openshift.io/build-config.name\":"
                + "\"lonely\"}}").statusCode()).isEqualTo(200);
        // a policy of one cluster: its builds go sooner than the same builds elsewhere
        Instant fiveDaysAgo = now.minus(Duration.ofDays(5));
        for (String cluster : List.of("dev", "local")) {
            assertThat(client.putJson(NS + "five-days-old?cluster=" + cluster, "{\"phase\":\"Complete\","
                    + "\"completionTimestamp\":\"" + fiveDaysAgo + "\"}").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> hold = client.send(HttpRequest.newBuilder(client.uri(NS + "held-complete/legal-hold"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"reason\":\"case 2026-17\"}")).build());
        assertThat(hold.statusCode()).as(hold.body()).isEqualTo(200);
        assertThat(parse(hold.body()).path("legalHold").path("reason").asText()).isEqualTo("case 2026-17");

        JsonNode dryRun = parse(client.get("/api/v1/retention/dry-run").body());

        Set<String> listed = names(dryRun.path("builds"));
        assertThat(listed).containsExactly("ancient-failed", "five-days-old", "old-complete-1", "old-complete-2");
        long bytes = storedSize("old-complete-1") + storedSize("old-complete-2");
        assertThat(dryRun.path("bytes").asLong()).isEqualTo(bytes).isPositive();
        assertThat(dryRun.path("total").asLong()).isEqualTo(4);
        assertThat(dryRun.path("keptByHold").asLong()).isEqualTo(1);
        assertThat(dryRun.path("keptAsLast").asLong()).isEqualTo(2);
        assertThat(dryRun.path("dryRun").asBoolean()).isTrue();
        assertThat(client.get(NS + "old-complete-1").statusCode()).as("a dry run deletes nothing").isEqualTo(200);

        JsonNode run = parse(client.send(HttpRequest.newBuilder(client.uri("/api/v1/retention/run"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()).body());

        assertThat(names(run.path("builds"))).isEqualTo(listed);
        assertThat(run.path("bytes").asLong()).isEqualTo(bytes);
        for (String gone : listed.stream().filter(name -> !name.equals("five-days-old")).toList()) { // dev's: below
            assertThat(client.get(NS + gone).statusCode()).as(gone).isEqualTo(404);
            assertThat(storedKeys("builds/local/ret-a/" + gone + "/")).as(gone).isEmpty();
        }
        for (String kept : List.of("new-complete", "old-failed", "held-complete", "only-of-its-config",
                "running-for-ages")) {
            assertThat(client.get(NS + kept).statusCode()).as(kept).isEqualTo(200);
        }
        assertThat(client.get(NS + "lonely-at-the-edge?cluster=edge").statusCode()).isEqualTo(200);
        assertThat(client.get(NS + "five-days-old?cluster=dev").statusCode()).isEqualTo(404);
        assertThat(client.get(NS + "five-days-old?cluster=local").statusCode()).isEqualTo(200);
        assertThat(client.get(NS + "held-complete/log").statusCode()).isEqualTo(200);
        PrometheusScrape metrics = PrometheusScrape.of(client);
        assertThat(metrics.value("osiris_retention_deleted_builds_total", "policy=\"complete\"")).isEqualTo(2);
        assertThat(metrics.value("osiris_retention_deleted_builds_total", "policy=\"failed\"")).isEqualTo(1);
        assertThat(metrics.value("osiris_retention_deleted_builds_total", "policy=\"dev\"")).isEqualTo(1);
        assertThat(metrics.value("osiris_retention_freed_bytes_total")).isEqualTo(bytes);

        // a held build cannot be deleted by hand either; released, the next dry run lists it
        HttpResponse<String> delete = client.delete(NS + "held-complete");
        assertThat(delete.statusCode()).isEqualTo(409);
        assertThat(parse(delete.body()).path("message").asText()).contains("legal hold");
        assertThat(client.delete(NS + "held-complete/legal-hold").statusCode()).isEqualTo(200);
        assertThat(names(parse(client.get("/api/v1/retention/dry-run").body()).path("builds")))
                .containsExactly("held-complete");
    }

    @Test
    void aHoldNeedsAReasonAndAKnownBuild() {
        build("hold-me", "Complete", 1, null, false);
        for (String body : new String[] {"", "{}", "{\"reason\":\"\"}", "{\"reason\":5}", "not json"}) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(client.uri(NS + "hold-me/legal-hold"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body))
                    .build());
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).contains("\"error\"").doesNotContain("Exception");
        }
        assertThat(client.send(HttpRequest.newBuilder(client.uri(NS + "nobody/legal-hold"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"reason\":\"x\"}")).build()).statusCode()).isEqualTo(404);
        assertThat(client.get("/api/v1/retention/dry-run?limit=-1").statusCode()).isEqualTo(400);
    }

    private void build(String name, String phase, int daysAgo, String buildConfig, boolean log) {
        Instant ended = now.minus(Duration.ofDays(daysAgo));
        String labels = buildConfig == null ? "" : ",\"labels\":{\"openshift.io/build-config.name\":\"" + buildConfig
                + "\"}";
        String completion = phase.equals("Running") ? "" : ",\"completionTimestamp\":\"" + ended + "\"";
        HttpResponse<String> put = client.putJson(NS + name, "{\"phase\":\"" + phase + "\",\"startTimestamp\":\""
                + ended.minus(Duration.ofMinutes(5)) + "\"" + completion + labels + "}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        if (log) {
            assertThat(client.putLog(NS + name + "/log", ("log of " + name + "\n").repeat(100)).statusCode())
                    .isEqualTo(201);
        }
    }

    private long storedSize(String name) {
        return parse(client.get(NS + name).body()).path("log").path("storedSize").asLong();
    }

    private static Set<String> names(JsonNode builds) {
        List<String> names = new ArrayList<>();
        builds.forEach(b -> names.add(b.path("name").asText()));
        return new TreeSet<>(names);
    }
}
