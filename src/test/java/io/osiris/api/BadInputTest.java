package io.osiris.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.LogStreams;
import io.osiris.support.RunningOsiris;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.osiris.buildlog.SpoolProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Every client mistake gets a 4xx with a JSON error naming the problem, and nothing is stored. */
@TestPropertySource(properties = "osiris.api.max-log-size=1MB")
class BadInputTest extends RunningOsiris {

    @Autowired
    SpoolProperties spool;

    @ParameterizedTest
    @ValueSource(strings = {"Upper", "under_score", "a..b", "-leading", "a%2Fb", "..%2F..%2Fetc", "%2E%2E"})
    void anInvalidBuildNameIsRefusedWithAJsonError(String name) {
        HttpResponse<String> response = client.putJson("/api/v1/namespaces/bad-names/builds/" + name,
                buildJson("Complete"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(error(response).path("field").asText()).isEqualTo("name");
        assertThat(storedKeys("builds/local/bad-names/")).isEmpty();
    }

    @Test
    void aRequestsOwnCopiesOfReplyHeadersAreNotEchoed() {
        client.putJson("/api/v1/namespaces/echo/builds/b1", buildJson("Complete"));
        client.putLog("/api/v1/namespaces/echo/builds/b1/log", "one line\n");
        for (String path : new String[] {"/api/v1/namespaces/echo/builds/b1", "/api/v1/namespaces/echo/builds/none"}) {
            HttpResponse<String> response = client.get(path, "Location", "https://evil.example/",
                    "ETag", "\"made-up\"", "WWW-Authenticate", "Basic realm=evil", "X-Osiris-Log-Sha256", "0000",
                    "Content-Disposition", "attachment; filename=evil.sh");
            for (String header : new String[] {"Location", "ETag", "WWW-Authenticate", "Content-Disposition"}) {
                assertThat(response.headers().firstValue(header)).as(path + " " + header).isEmpty();
            }
            assertThat(response.headers().allValues("X-Osiris-Log-Sha256")).doesNotContain("0000");
        }
        HttpResponse<String> log = client.get("/api/v1/namespaces/echo/builds/b1/log", "X-Osiris-Log-Sha256", "0000");
        assertThat(log.body()).isEqualTo("one line\n");
        assertThat(log.headers().allValues("X-Osiris-Log-Sha256")).hasSize(1).doesNotContain("0000");
    }

    @Test
    void aNulInThePathIsRefusedInJsonBeforeReachingOsiris() {
        HttpResponse<String> response = client.get("/api/v1/namespaces/nul/builds/a%00b");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        assertThat(response.body()).doesNotContain("<html");
    }

    @Test
    void anInvalidNamespaceIsRefused() {
        HttpResponse<String> response = client.putJson("/api/v1/namespaces/Not.A.Label/builds/ok", buildJson("New"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("Not.A.Label").contains("namespace");
    }

    @Test
    void aPathClimbingOutOfTheApiFindsNothing() {
        HttpResponse<String> response = client.get("/api/v1/namespaces/x/builds/../../../../etc/passwd");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("root:");
    }

    @Test
    void malformedJsonIsRefused() {
        HttpResponse<String> response = client.putJson("/api/v1/namespaces/bad-json/builds/b1", "{\"phase\":");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).startsWith("malformed JSON");
        assertThat(storedKeys("builds/local/bad-json/")).isEmpty();
    }

    @Test
    void aFieldOutsideTheSchemaIsRefusedByName() {
        HttpResponse<String> wrongPhase = client.putJson("/api/v1/namespaces/bad-json/builds/b2", "{\"phase\":\"Done\"}");
        HttpResponse<String> unknownField = client.putJson("/api/v1/namespaces/bad-json/builds/b3",
                "{\"phase\":\"New\",\"colour\":\"red\"}");
        HttpResponse<String> missingPhase = client.putJson("/api/v1/namespaces/bad-json/builds/b4", "{}");
        HttpResponse<String> badTime = client.putJson("/api/v1/namespaces/bad-json/builds/b5",
                "{\"phase\":\"New\",\"startTimestamp\":\"yesterday\"}");

        assertThat(error(wrongPhase).path("field").asText()).isEqualTo("phase");
        assertThat(error(unknownField).path("field").asText()).isEqualTo("colour");
        assertThat(error(missingPhase).path("field").asText()).isEqualTo("phase");
        assertThat(error(badTime).path("field").asText()).isEqualTo("startTimestamp");
        assertThat(Stream.of(wrongPhase, unknownField, missingPhase, badTime).map(HttpResponse::statusCode))
                .containsOnly(400);
        assertThat(storedKeys("builds/local/bad-json/")).isEmpty();
    }

    @Test
    void aRecordOutOfBoundsIsRefusedBeforeAnythingIsWritten() {
        String path = "/api/v1/namespaces/bounds/builds/";
        StringBuilder manyLabels = new StringBuilder("{\"phase\":\"New\",\"labels\":{");
        for (int i = 0; i < 65; i++) {
            manyLabels.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
        }
        manyLabels.append("}}");
        Map<String, String> refused = Map.of(
                "phase", "{\"phase\":6}",
                "labels", manyLabels.toString(),
                "labels ", "{\"phase\":\"New\",\"labels\":{\"app\":\"" + "x".repeat(1025) + "\"}}",
                "startTimestamp", "{\"phase\":\"New\",\"startTimestamp\":\"1969-12-31T23:59:59Z\"}",
                "completionTimestamp", "{\"phase\":\"New\",\"completionTimestamp\":\"+10000-01-01T00:00:00Z\"}",
                "message", "{\"phase\":\"New\",\"message\":\"" + "m".repeat(4097) + "\"}");
        int n = 0;
        for (Map.Entry<String, String> body : refused.entrySet()) {
            HttpResponse<String> response = client.putJson(path + "b" + n++, body.getValue());
            assertThat(response.statusCode()).as(body.getValue()).isEqualTo(400);
            assertThat(error(response).path("field").asText()).isEqualTo(body.getKey().strip());
        }
        // a body is refused once it passes its bound, however it goes on
        HttpResponse<String> huge = client.putJson(path + "huge", "{\"phase\":\"New\",\"message\":\""
                + "m".repeat(200_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(error(huge).path("message").asText()).contains("BuildInfo body");
        HttpResponse<String> legacyHuge = client.putJson("/build/started/huge-1",
                "{\"kind\":\"Build\",\"metadata\":{\"name\":\"huge-1\",\"annotations\":{\"a\":\""
                        + "a".repeat(1_100_000) + "\"}}}");
        assertThat(legacyHuge.statusCode()).isEqualTo(413);
        // nothing may follow the JSON object
        HttpResponse<String> trailing = client.putJson(path + "trailing", "{\"phase\":\"New\"} {\"phase\":\"Failed\"}");
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(error(trailing).path("message").asText()).isNotBlank();
        assertThat(client.get("/api/v1/namespaces/bounds/builds").body()).contains("\"items\":[]");
        assertThat(storedKeys("builds/local/bounds/")).isEmpty();
        // the largest record allowed is taken
        StringBuilder largest = new StringBuilder("{\"phase\":\"New\",\"message\":\"" + "m".repeat(4096)
                + "\",\"labels\":{");
        for (int i = 0; i < 64; i++) {
            largest.append(i == 0 ? "" : ",").append("\"").append(String.format("%03d", i)).append("k".repeat(314))
                    .append("\":\"").append("v".repeat(1024)).append("\"");
        }
        largest.append("}}");
        assertThat(client.putJson(path + "largest", largest.toString()).statusCode()).isEqualTo(200);
    }

    @Test
    void everyReplyForbidsContentSniffingAndFraming() {
        client.putJson("/api/v1/namespaces/hygiene/builds/b1", "{\"phase\":\"New\"}");
        client.putLog("/api/v1/namespaces/hygiene/builds/b1/log", "<script>alert(1)</script>\n");
        for (String path : List.of("/", "/api/v1/builds", "/api/v1/namespaces/hygiene/builds/b1/log",
                "/api/v1/namespaces/hygiene/builds/none", "/actuator/health", "/no/such/path")) {
            HttpResponse<String> reply = client.get(path);
            assertThat(reply.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(reply.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
            assertThat(reply.headers().firstValue("Content-Security-Policy")).as(path)
                    .hasValue("frame-ancestors 'none'");
        }
    }

    @Test
    void aCompressedRequestBodyIsRefusedAtEveryDoor() {
        client.putJson("/api/v1/namespaces/encoded/builds/b1", "{\"phase\":\"New\"}");
        for (String path : List.of("/api/v1/namespaces/encoded/builds/b1/log", "/build/logs/b1",
                "/api/v1/namespaces/encoded/builds/b2")) {
            HttpResponse<String> reply = client.send(java.net.http.HttpRequest.newBuilder(client.uri(path))
                    .header("Content-Type", path.endsWith("/log") ? "text/plain" : "application/json")
                    .header("Content-Encoding", "gzip")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {31, -117, 8, 0}))
                    .build());
            assertThat(reply.statusCode()).as(path).isEqualTo(415);
            assertThat(error(reply).path("field").asText()).isEqualTo("Content-Encoding");
        }
        assertThat(client.get("/api/v1/namespaces/encoded/builds/b1/log").statusCode()).isEqualTo(404);
        assertThat(client.get("/api/v1/namespaces/encoded/builds/b2").statusCode()).isEqualTo(404);
        assertThat(storedKeys("builds/local/encoded/")).noneMatch(key -> key.endsWith("log.gz"));
    }

    @Test
    void aWrongContentTypeIsRefused() {
        HttpResponse<String> response = client.put("/api/v1/namespaces/bad-type/builds/b1", "application/xml",
                "<build/>");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(parse(response.body()).path("status").asInt()).isEqualTo(415);
        assertThat(storedKeys("builds/local/bad-type/")).isEmpty();
    }

    @Test
    void aLogOverTheLimitIsRefusedAndLeavesNothingBehind() throws Exception {
        String build = "/api/v1/namespaces/too-large/builds/b1";
        client.putJson(build, buildJson("Complete"));

        HttpResponse<String> response = client.putLog(build + "/log", LogStreams.text(3 * 1024 * 1024, 7));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("message").asText()).contains("limit of 1048576 bytes");
        assertThat(storedKeys("builds/local/too-large/")).containsExactly("builds/local/too-large/b1/_/build.json");
        assertThat(parse(client.get(build).body()).has("log")).isFalse();
        try (Stream<Path> files = Files.list(spool.directory())) {
            assertThat(files.filter(f -> !Files.isDirectory(f))).isEmpty();
        }
    }

    @Test
    void anUnknownBuildIsNotFound() {
        assertThat(client.get("/api/v1/namespaces/nowhere/builds/ghost").statusCode()).isEqualTo(404);
        assertThat(client.get("/api/v1/namespaces/nowhere/builds/ghost/log").statusCode()).isEqualTo(404);
        HttpResponse<String> put = client.putLog("/api/v1/namespaces/nowhere/builds/ghost/log", "x\n");
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(error(put).path("message").asText()).contains("nowhere/ghost");
        assertThat(storedKeys("builds/local/nowhere/")).isEmpty();
    }

    @Test
    void badListParametersAreRefused() {
        assertThat(error(client.get("/api/v1/builds?limit=0")).path("field").asText()).isEqualTo("limit");
        assertThat(error(client.get("/api/v1/builds?phase=Sleeping")).path("field").asText()).isEqualTo("phase");
        assertThat(error(client.get("/api/v1/builds?since=never")).path("field").asText()).isEqualTo("since");
        assertThat(error(client.get("/api/v1/builds?label=nolabel")).path("field").asText()).isEqualTo("label");
        assertThat(error(client.get("/api/v1/builds?continue=garbage!")).path("field").asText()).isEqualTo("continue");
        assertThat(error(client.get("/api/v1/namespaces/a/builds/b/log?tailLines=-3")).path("field").asText())
                .isIn("tailLines", "");
    }

    @Test
    void pathsMethodsAndContentTypesTheApiDoesNotHaveGetTheApisErrorShape() {
        HttpResponse<String> path = client.get("/api/v1/nowhere");
        HttpResponse<String> method = client.send(java.net.http.HttpRequest.newBuilder(
                client.uri("/api/v1/openapi.json")).DELETE().build());
        HttpResponse<String> type = client.put("/api/v1/namespaces/shape/builds/b1", "text/xml", "<build/>");

        for (var reply : java.util.List.of(path, method, type)) {
            assertThat(reply.headers().firstValue("Content-Type").orElse("")).contains("application/json");
            assertThat(error(reply).path("status").asInt()).isEqualTo(reply.statusCode());
            assertThat(error(reply).path("message").asText()).isNotBlank();
            assertThat(reply.body()).doesNotContain("timestamp").doesNotContain("<build/>");
        }
        assertThat(path.statusCode()).isEqualTo(404);
        assertThat(error(path).path("message").asText()).contains("/api/v1/nowhere");
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(type.statusCode()).isEqualTo(415);
    }

    @Test
    void headOnALogAnswersItsHeadersWithoutTheLog() {
        client.putJson("/api/v1/namespaces/head/builds/b1", buildJson("Complete"));
        client.putLog("/api/v1/namespaces/head/builds/b1/log", "twelve bytes");
        java.net.http.HttpRequest head = java.net.http.HttpRequest.newBuilder(
                client.uri("/api/v1/namespaces/head/builds/b1/log")).method("HEAD",
                java.net.http.HttpRequest.BodyPublishers.noBody()).build();

        HttpResponse<String> reply = client.send(head);

        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).isEmpty();
        assertThat(reply.headers().firstValue("X-Osiris-Log-Size")).hasValue("12");
        assertThat(reply.headers().firstValue("X-Osiris-Log-Sha256")).isPresent();
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(client.uri("/api/v1/namespaces/head/builds/none/log"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(404);
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(client.uri("/api/v1/namespaces/head/builds/b1"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeTheBuildOrBodyIsRead() throws Exception {
        client.putJson("/api/v1/namespaces/declared/builds/b1", buildJson("Complete"));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("PUT /api/v1/namespaces/declared/builds/b1/log HTTP/1.1\r\n"
                    + "Host: osiris\r\nContent-Type: text/plain\r\nContent-Length: 2000000\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertThat(reply).isEqualTo("HTTP/1.1 413");
        }
        assertThat(storedKeys("builds/local/declared/b1/_/log")).isEmpty();
    }

    private JsonNode error(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/json");
        JsonNode error = parse(response.body());
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return error;
    }
}
