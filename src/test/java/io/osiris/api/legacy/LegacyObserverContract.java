package io.osiris.api.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.RunningOsiris;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The request sequence of the original build observer, byte for byte as it sends it, and the reads of existing
 * clients: every reply is the original envelope.
 */
public abstract class LegacyObserverContract extends RunningOsiris {

    private static String buildObject(String name, String namespace, String uid, String phase) {
        return """
                {"kind":"Build","apiVersion":"build.openshift.io/v1",
                 "metadata":{"name":"%s","namespace":"%s","uid":"%s","labels":{"buildconfig":"app"}},
                 "spec":{"strategy":{"type":"Source"}},
                 "status":{"phase":"%s","startTimestamp":"2026-11-29T10:00:00Z",
                           "completionTimestamp":"2026-11-29T10:05:00Z"}}
                """.formatted(name, namespace, uid, phase);
    }

    @Test
    void theObserverSequenceStoresTheBuildAndEveryReadServesIt() {
        String id = "observed-1";
        HttpResponse<String> started = client.putJson("/build/started/" + id + "?mode=remote",
                buildObject(id, "observed", "u-1", "Running"));
        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(payload(started).path("build_status").asText()).isEqualTo("Running");

        HttpResponse<String> completed = client.putJson("/build/completed/" + id + "?mode=remote",
                buildObject(id, "observed", "u-1", "Complete"));
        assertThat(completed.statusCode()).isIn(200, 201, 202);

        HttpResponse<String> logs = client.putJson("/build/logs/" + id + "?mode=remote",
                "{\"data\": \"Cloning...\\nBuilding \\u00e9t\\u00e9\\nPush successful\\n\", \"metadata\": {\"build_id\": \""
                        + id + "\"}}");
        assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);

        JsonNode log = payload(client.get("/build/logs/" + id));
        assertThat(log.path("data").asText()).isEqualTo("Cloning...\nBuilding été\nPush successful\n");
        assertThat(log.path("metadata").path("build_id").asText()).isEqualTo(id);

        JsonNode info = payload(client.get("/build/info/" + id));
        assertThat(info.path("build_id").asText()).isEqualTo(id);
        assertThat(info.path("build_status").asText()).isEqualTo("Complete");
        assertThat(info.path("first_timestamp").asText()).isEqualTo("2026-11-29T10:00:00.000000");
        assertThat(info.path("ocp_info").path("namespace").asText()).isEqualTo("observed");

        assertThat(payload(client.get("/build/status/" + id)).path("build_status").asText()).isEqualTo("Complete");

        JsonNode page = payload(client.get("/build/info/page"));
        assertThat(page.path("total").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(page.path("has_prev").asBoolean()).isFalse();
        // the largest page number is simply past the end, not an overflow
        JsonNode last = payload(client.get("/build/info/page/2147483647"));
        assertThat(last.path("has_next").asBoolean()).isFalse();
        assertThat(last.path("total").asInt()).isEqualTo(page.path("total").asInt());

        // the v1 API shows the same build in the namespace of its Build object
        assertThat(client.get("/api/v1/namespaces/observed/builds/" + id + "/log").body())
                .isEqualTo("Cloning...\nBuilding été\nPush successful\n");
    }

    @Test
    void aReplayedObserverChangesNothing() {
        String id = "replayed-1";
        client.putJson("/build/completed/" + id, buildObject(id, "replayed", "u-2", "Complete"));
        client.putJson("/build/logs/" + id, "{\"data\":\"done\\n\",\"metadata\":{\"build_id\":\"" + id + "\"}}");

        client.putJson("/build/started/" + id, buildObject(id, "replayed", "u-2", "Complete"));
        client.putJson("/build/completed/" + id, buildObject(id, "replayed", "u-2", "Complete"));
        HttpResponse<String> again = client.putJson("/build/logs/" + id,
                "{\"data\":\"done\\n\",\"metadata\":{\"build_id\":\"" + id + "\"}}");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(storedKeys(keyPrefix() + "builds/local/replayed/")).containsExactlyInAnyOrder(
                keyPrefix() + "builds/local/replayed/replayed-1/u-2/build.json",
                keyPrefix() + "builds/local/replayed/replayed-1/u-2/log.gz");
        assertThat(payload(client.get("/build/logs/" + id)).path("data").asText()).isEqualTo("done\n");
    }

    @Test
    void aSecretInALegacyObserversLogIsMasked() {
        String id = "leaky-1";
        client.putJson("/build/completed/" + id, buildObject(id, "legacy-secrets", "u-9", "Failed"));

        HttpResponse<String> logs = client.putJson("/build/logs/" + id,
                "{\"data\":\"login\\ncurl -u deploy:s3cr3t-pw@x https://bot:s3cr3t-pw@git.example.com/r\\n\"}");

        assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
        assertThat(payload(client.get("/build/logs/" + id)).path("data").asText())
                .isEqualTo("login\ncurl -u deploy:[MASKED] https://bot:[MASKED]@git.example.com/r\n");
    }

    @Test
    void logsOfFailedErrorAndCancelledBuildsAreKept() {
        for (String phase : new String[] {"Failed", "Error", "Cancelled"}) {
            String id = "ended-" + phase.toLowerCase();
            client.putJson("/build/completed/" + id, buildObject(id, "ended", "u-" + phase, phase));

            HttpResponse<String> logs = client.putJson("/build/logs/" + id, "{\"data\":\"" + phase + "\\n\"}");

            assertThat(logs.statusCode()).as(phase).isEqualTo(200);
            assertThat(payload(client.get("/build/logs/" + id)).path("data").asText()).isEqualTo(phase + "\n");
        }
    }

    @Test
    void buildInfoAndEventBodiesAreUnderstood() {
        HttpResponse<String> buildInfo = client.putJson("/build/completed/build_schema/schema-1", """
                {"build_id":"schema-1","build_status":"Complete","first_timestamp":"2026-11-29T10:00:00.000000",
                 "last_timestamp":"2026-11-29T10:01:00.000000",
                 "ocp_info":{"kind":"Build","name":"schema-1","namespace":"schemas"}}""");
        HttpResponse<String> event = client.putJson("/build/completed/event_schema/schema-2", """
                {"kind":"Event","reason":"BuildCompleted","firstTimestamp":"2026-11-29T10:00:00Z",
                 "involvedObject":{"kind":"Build","name":"schema-2","namespace":"schemas"}}""");

        assertThat(buildInfo.statusCode()).isEqualTo(202);
        assertThat(event.statusCode()).isEqualTo(202);
        assertThat(parse(client.get("/api/v1/namespaces/schemas/builds/schema-1").body()).path("completionTimestamp")
                .asText()).isEqualTo("2026-11-29T10:01:00Z");
        assertThat(payload(client.get("/build/status/schema-2")).path("build_status").asText()).isEqualTo("Complete");
    }

    @Test
    void legacyMistakesGetTheEnvelopeWithTheFieldAtFault() {
        assertError(client.get("/build/info/never-seen"), 404, "request");
        assertError(client.putJson("/build/logs/never-seen", "{\"data\":\"x\"}"), 404, "request");
        client.putJson("/build/started/running-1", buildObject("running-1", "mistakes", "u-3", "Running"));
        assertError(client.putJson("/build/logs/running-1", "{\"data\":\"x\"}"), 400, "id");
        client.putJson("/build/completed/done-1", buildObject("done-1", "mistakes", "u-4", "Complete"));
        client.putJson("/build/logs/done-1", "{\"data\":\"first\"}");
        assertError(client.putJson("/build/logs/done-1?force=0", "{\"data\":\"second\"}"), 409, "force");
        assertError(client.putJson("/build/logs/done-1", "{\"metadata\":{}}"), 400, "data");
        assertError(client.putJson("/build/completed/build_schema/x-1", "{\"build_id\":\"x-2\",\"build_status\":"
                + "\"Complete\"}"), 400, "build_id");
        assertError(client.putJson("/build/completed/y-1?mode=cluster", buildObject("y-1", "mistakes", "u", "Complete")),
                400, "mode");
        assertError(client.putJson("/build/started/Bad_Id", "{}"), 400, "name");
        assertError(client.putJson("/build/started/ok-1", "not json"), 400, "request");
        assertThat(payload(client.get("/build/logs/done-1")).path("data").asText()).isEqualTo("first");
    }

    @Test
    void probesAnswerFromTheHealthGroups() {
        HttpResponse<String> readiness = client.get("/probes/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(payload(readiness).path("healthy").asBoolean()).isTrue();
        assertThat(client.get("/probes/liveness").statusCode()).isEqualTo(200);
    }

    private void assertError(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode envelope = parse(response.body());
        assertThat(envelope.path("data").path("status").path("code").asInt()).isEqualTo(status);
        assertThat(envelope.path("errors").path(field).isArray()).as(response.body()).isTrue();
        assertThat(response.body()).doesNotContain("Exception");
    }

    private JsonNode payload(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        JsonNode envelope = parse(response.body());
        assertThat(envelope.path("data").path("app_data").path("name").asText()).isEqualTo("osiris");
        return envelope.path("data").path("payload");
    }

    protected String keyPrefix() {
        return "";
    }
}
