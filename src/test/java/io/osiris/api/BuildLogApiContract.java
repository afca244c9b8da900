package io.osiris.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.LogStreams;
import io.osiris.support.RunningOsiris;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** What the v1 REST API promises, checked against whichever storage the subclass runs on. */
public abstract class BuildLogApiContract extends RunningOsiris {

    private static final long MiB = 1024 * 1024;

    @Test
    void fiftyMebibyteLogRoundTripsByteIdenticalAndIsAPlainGzipObjectInS3() throws Exception {
        String build = "/api/v1/namespaces/round-trip/builds/app-1";
        assertThat(client.putJson(build, "{\"phase\":\"Complete\",\"uid\":\"uid-1\"}").statusCode()).isEqualTo(200);
        String expected = LogStreams.sha256(LogStreams.text(50 * MiB, 1));

        HttpResponse<String> put = client.putLog(build + "/log", LogStreams.text(50 * MiB, 1));

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        JsonNode log = parse(put.body());
        assertThat(log.path("sha256").asText()).isEqualTo(expected);
        assertThat(log.path("size").asLong()).isEqualTo(50 * MiB);
        assertThat(log.path("storedSize").asLong()).isLessThan(50 * MiB);
        assertThat(log.path("key").asText()).isEqualTo(keyPrefix() + "builds/local/round-trip/app-1/uid-1/log.gz");

        HttpResponse<InputStream> get = client.getStream(build + "/log");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(LogStreams.sha256(get.body())).isEqualTo(expected);

        try (ResponseInputStream<GetObjectResponse> object =
                     s3.getObject(b -> b.bucket(storage.bucket()).key(log.path("key").asText()))) {
            assertThat(object.response().contentEncoding()).isEqualTo("gzip");
            assertThat(object.response().contentType()).startsWith("text/plain");
            assertThat(LogStreams.sha256(new GZIPInputStream(object))).isEqualTo(expected);
        }
        assertThat(storedKeys(keyPrefix() + "builds/local/round-trip/app-1/"))
                .containsExactlyInAnyOrder(keyPrefix() + "builds/local/round-trip/app-1/uid-1/build.json",
                        keyPrefix() + "builds/local/round-trip/app-1/uid-1/log.gz");
    }

    @Test
    void resubmittingTheSameLogChangesNothingAndANewLogReplacesIt() {
        String build = "/api/v1/namespaces/idempotent/builds/app-1";
        client.putJson(build, buildJson("Complete"));
        JsonNode first = parse(client.putLog(build + "/log", "step 1\nstep 2\n").body());

        HttpResponse<String> again = client.putLog(build + "/log", "step 1\nstep 2\n");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(parse(again.body()).path("storedAt")).isEqualTo(first.path("storedAt"));

        HttpResponse<String> replaced = client.putLog(build + "/log", "step 1\nstep 2\nstep 3\n");
        assertThat(replaced.statusCode()).isEqualTo(201);
        assertThat(client.get(build + "/log").body()).isEqualTo("step 1\nstep 2\nstep 3\n");
    }

    @Test
    void aStatusUpdateWithoutLogKeepsTheStoredLog() {
        String build = "/api/v1/namespaces/keep-log/builds/app-1";
        client.putJson(build, buildJson("Running"));
        client.putLog(build + "/log", "partial\n");

        client.putJson(build, "{\"phase\":\"Failed\",\"message\":\"exit 1\"}");

        JsonNode record = parse(client.get(build).body());
        assertThat(record.path("phase").asText()).isEqualTo("Failed");
        assertThat(record.path("message").asText()).isEqualTo("exit 1");
        assertThat(record.path("log").path("size").asLong()).isEqualTo(8);
        assertThat(client.get(build + "/log").body()).isEqualTo("partial\n");
    }

    @Test
    void logIsServedAsStoredGzipByteRangeOrLastLines() throws Exception {
        String build = "/api/v1/namespaces/views/builds/app-1";
        client.putJson(build, buildJson("Complete"));
        client.putLog(build + "/log", "one\ntwo\nthree\nfour\n");

        HttpResponse<InputStream> gzip = client.getStream(build + "/log", "Accept-Encoding", "gzip");
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new String(new GZIPInputStream(gzip.body()).readAllBytes())).isEqualTo("one\ntwo\nthree\nfour\n");

        HttpResponse<String> range = client.get(build + "/log", "Range", "bytes=4-8");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 4-8/19");
        assertThat(range.body()).isEqualTo("two\nt");

        assertThat(client.get(build + "/log", "Range", "bytes=-5").body()).isEqualTo("four\n");
        assertThat(client.get(build + "/log?tailLines=2").body()).isEqualTo("three\nfour\n");
        assertThat(client.get(build + "/log?tailLines=10").body()).isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(client.get(build + "/log", "Range", "bytes=100-").statusCode()).isEqualTo(416);
        assertThat(client.get(build + "/log").headers().firstValue("tailLines")).isEmpty();
    }

    @Test
    void aRecreatedBuildGetsItsOwnRecordAndTheOlderOneStays() {
        String build = "/api/v1/namespaces/recreated/builds/app-1";
        client.putJson(build, "{\"phase\":\"Complete\",\"uid\":\"first\"}");
        client.putLog(build + "/log?uid=first", "first run\n");
        client.putJson(build, "{\"phase\":\"Complete\",\"uid\":\"second\"}");
        client.putLog(build + "/log?uid=second", "second run\n");

        assertThat(parse(client.get(build).body()).path("uid").asText()).isEqualTo("second");
        assertThat(client.get(build + "/log").body()).isEqualTo("second run\n");
        assertThat(client.get(build + "/log?uid=first").body()).isEqualTo("first run\n");
    }

    @Test
    void twoNamespacesNeverShareABuild() {
        client.putJson("/api/v1/namespaces/team-a/builds/same-name", buildJson("Complete"));
        client.putJson("/api/v1/namespaces/team-b/builds/same-name", buildJson("Failed"));
        client.putLog("/api/v1/namespaces/team-a/builds/same-name/log", "a\n");
        client.putLog("/api/v1/namespaces/team-b/builds/same-name/log", "b\n");

        assertThat(client.get("/api/v1/namespaces/team-a/builds/same-name/log").body()).isEqualTo("a\n");
        assertThat(client.get("/api/v1/namespaces/team-b/builds/same-name/log").body()).isEqualTo("b\n");
        assertThat(parse(client.get("/api/v1/namespaces/team-b/builds/same-name").body()).path("phase").asText())
                .isEqualTo("Failed");
    }

    @Test
    void listFiltersByPhaseLabelAndStartTime() {
        String ns = "/api/v1/namespaces/filters/builds/";
        client.putJson(ns + "a", "{\"phase\":\"Complete\",\"labels\":{\"app\":\"web\"},"
                + "\"startTimestamp\":\"2026-01-01T10:00:00Z\"}");
        client.putJson(ns + "b", "{\"phase\":\"Failed\",\"labels\":{\"app\":\"web\"},"
                + "\"startTimestamp\":\"2026-01-02T10:00:00Z\"}");
        client.putJson(ns + "c", "{\"phase\":\"Complete\",\"labels\":{\"app\":\"db\"},"
                + "\"startTimestamp\":\"2026-01-03T10:00:00Z\"}");

        assertThat(names("/api/v1/namespaces/filters/builds")).containsExactly("a", "b", "c");
        assertThat(names("/api/v1/namespaces/filters/builds?phase=Complete")).containsExactly("a", "c");
        assertThat(names("/api/v1/namespaces/filters/builds?label=app%3Dweb")).containsExactly("a", "b");
        assertThat(names("/api/v1/namespaces/filters/builds?since=2026-01-02T00:00:00Z")).containsExactly("b", "c");
        assertThat(names("/api/v1/namespaces/filters/builds?until=2026-01-02T00:00:00Z")).containsExactly("a");
        assertThat(names("/api/v1/builds?label=app%3Ddb")).contains("c").doesNotContain("a", "b");
    }

    @Test
    void deleteRemovesRecordAndLog() {
        String build = "/api/v1/namespaces/deleted/builds/app-1";
        client.putJson(build, buildJson("Complete"));
        client.putLog(build + "/log", "bye\n");

        assertThat(client.delete(build).statusCode()).isEqualTo(204);

        assertThat(client.get(build).statusCode()).isEqualTo(404);
        assertThat(client.get(build + "/log").statusCode()).isEqualTo(404);
        assertThat(storedKeys(keyPrefix() + "builds/local/deleted/")).isEmpty();
        assertThat(client.delete(build).statusCode()).isEqualTo(404);
    }

    protected List<String> names(String path) {
        HttpResponse<String> response = client.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        parse(response.body()).path("items").forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    protected String keyPrefix() {
        return "";
    }
}
