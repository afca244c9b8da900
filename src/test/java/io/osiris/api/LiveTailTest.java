package io.osiris.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.buildlog.ChunkPipe;
import io.osiris.support.FollowedReply;
import io.osiris.support.RunningOsiris;
import java.io.BufferedReader;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET .../log?follow=true} over real HTTP: plain text and Server-Sent Events of a chunked PUT still in
 * progress, start positions, resume with Last-Event-ID, the stored log, and an upload that breaks off.
 */
class LiveTailTest extends RunningOsiris {

    /** Uploads and readers block: their own threads, not the common pool (one worker on a two-core machine). */
    private static final java.util.concurrent.ExecutorService THREADS =
            java.util.concurrent.Executors.newCachedThreadPool();

    @Test
    void plainAndEventFollowersSeeLinesWhileAChunkedPutIsInProgressAndEndWithTheLog() throws Exception {
        String build = "/api/v1/namespaces/live-tail/builds/slow-1";
        ChunkPipe pipe = new ChunkPipe(1024 * 1024);
        CompletableFuture<HttpResponse<String>> upload = runningBuildUploading(build, pipe);
        StringBuilder written = new StringBuilder();
        write(pipe, written, "line 1\n");

        // (the JDK client sends a chunk once it has the next one: the loop below keeps the upload moving)
        FollowedReply plain = follow(build + "/log?follow=true");
        FollowedReply events = follow(build + "/log?follow=true", "Accept", "text/event-stream");
        for (int i = 2; (plain.text().isEmpty() || !events.text().contains("id: 1\n")) && i < 500; i++) {
            write(pipe, written, "line " + i + "\n");
            Thread.sleep(20);
        }
        // both saw the log's start while the upload was still open
        assertThat(upload).isNotDone();
        assertThat(plain.text()).startsWith("line 1\n");
        assertThat(events.text()).contains("id: 1\ndata: line 1\n\n");
        assertThat(plain.done).isNotDone();

        for (int i = 0; i < 20; i++) {
            write(pipe, written, "more " + i + "\n");
        }
        write(pipe, written, "no newline at the end");
        pipe.close();
        assertThat(upload.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        plain.done.get(30, TimeUnit.SECONDS);
        events.done.get(30, TimeUnit.SECONDS);

        assertThat(plain.text()).isEqualTo(written.toString());
        assertThat(plain.response().headers().firstValue("X-Osiris-Log-Live")).hasValue("true");
        assertThat(events.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> lines = written.toString().lines().toList();
        assertThat(dataOf(events.text())).containsExactlyElementsOf(lines);
        assertThat(events.text()).contains("id: " + lines.size() + "\ndata: no newline at the end\n\n")
                .endsWith("event: end\ndata: {\"lastLine\":" + lines.size() + "}\n\n");
    }

    @Test
    void aFollowerOfABuildWithoutLogWaitsForItsUploadToStart() throws Exception {
        String build = "/api/v1/namespaces/live-tail/builds/waiting";
        client.putJson(build, buildJson("Running"));
        FollowedReply plain = follow(build + "/log?follow=true");
        Thread.sleep(500);
        assertThat(plain.done).isNotDone();

        client.putLog(build + "/log", "arrived later\n");

        plain.done.get(30, TimeUnit.SECONDS);
        assertThat(plain.text()).isEqualTo("arrived later\n");
    }

    @Test
    void aStoredLogIsSentFromTheStartAskedForAndTheReplyEnds() {
        String build = "/api/v1/namespaces/live-tail/builds/stored";
        client.putJson(build, buildJson("Complete"));
        client.putLog(build + "/log", "one\ntwo\nthree\nfour\n");

        HttpResponse<String> all = client.get(build + "/log?follow=true");
        assertThat(all.body()).isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(all.headers().firstValue("X-Osiris-Log-Live")).hasValue("false");
        assertThat(client.get(build + "/log?follow=true&tailLines=2").body()).isEqualTo("three\nfour\n");
        assertThat(client.get(build + "/log?follow=true&offset=6").body()).isEqualTo("o\nthree\nfour\n");
        assertThat(client.get(build + "/log?follow=true&fromLine=4").body()).isEqualTo("four\n");

        // an event stream resumed after line 2 goes on with line 3, numbered as in the log
        String resumed = client.get(build + "/log?follow=true", "Accept", "text/event-stream",
                "Last-Event-ID", "2").body();
        assertThat(resumed).contains("id: 3\ndata: three\n\nid: 4\ndata: four\n\n")
                .doesNotContain("data: two").endsWith("event: end\ndata: {\"lastLine\":4}\n\n");
        String tail = client.get(build + "/log?follow=true&tailLines=1", "Accept", "text/event-stream").body();
        assertThat(tail).contains("id: 4\ndata: four\n\n").doesNotContain("id: 3");

        HttpResponse<String> bad = client.get(build + "/log?follow=true&offset=1&tailLines=1");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("offset");
        assertThat(client.get(build + "/log?follow=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void aWindowOfLinesIsAnsweredWithTheLogsLineCount() {
        String build = "/api/v1/namespaces/live-tail/builds/window";
        client.putJson(build, buildJson("Complete"));
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            log.append("row ").append(i).append('\n');
        }
        client.putLog(build + "/log", log.toString());

        HttpResponse<String> window = client.get(build + "/log?fromLine=500&lineCount=3");
        assertThat(window.body()).isEqualTo("row 500\nrow 501\nrow 502\n");
        assertThat(window.headers().firstValue("X-Osiris-Log-Lines")).hasValue("1000");
        assertThat(client.get(build + "/log?fromLine=999&lineCount=50").body()).isEqualTo("row 999\nrow 1000\n");
        assertThat(client.get(build + "/log?lineCount=1").body()).isEqualTo("row 1\n");
        assertThat(client.get(build + "/log?fromLine=0").statusCode()).isEqualTo(400);
    }

    @Test
    void aSearchOfALogListsTheMatchingLinesAndCountsThemAll() {
        String build = "/api/v1/namespaces/live-tail/builds/search";
        client.putJson(build, buildJson("Failed"));
        StringBuilder log = new StringBuilder();
        for (int i = 1; i <= 3000; i++) {
            log.append(i % 1000 == 0 ? "ERROR: step " + i + " failed" : "step " + i + " ok").append('\n');
        }
        client.putLog(build + "/log", log.toString());

        com.fasterxml.jackson.databind.JsonNode found = parse(client.get(build + "/log/matches?q=error").body());
        assertThat(found.path("count").asLong()).isEqualTo(3);
        assertThat(found.path("lines").asLong()).isEqualTo(3000);
        assertThat(found.path("matches").get(1).path("line").asLong()).isEqualTo(2000);
        assertThat(found.path("matches").get(1).path("text").asText()).isEqualTo("ERROR: step 2000 failed");
        assertThat(found.path("partial").asBoolean()).isFalse();

        com.fasterxml.jackson.databind.JsonNode pattern =
                parse(client.get(build + "/log/matches?regex=true&limit=2&q=step%20%5B12%5D%5Cd%5Cd%20ok").body());
        assertThat(pattern.path("count").asLong()).isEqualTo(200); // steps 100 to 299
        assertThat(pattern.path("matches").size()).isEqualTo(2);
        assertThat(pattern.path("truncated").asBoolean()).isTrue();

        HttpResponse<String> bad = client.get(build + "/log/matches?regex=true&q=%5B");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("regular expression");
        assertThat(client.get(build + "/log/matches").statusCode()).isEqualTo(400);
        assertThat(client.get("/api/v1/namespaces/live-tail/builds/nothing/log/matches?q=x").statusCode())
                .isEqualTo(404);
    }

    @Test
    void anEventFollowerIsToldWhenTheUploadBreaksOff() throws Exception {
        String build = "/api/v1/namespaces/live-tail/builds/broken";
        ChunkPipe pipe = new ChunkPipe(1024 * 1024);
        CompletableFuture<HttpResponse<String>> upload = runningBuildUploading(build, pipe);
        StringBuilder written = new StringBuilder();
        write(pipe, written, "started\n");
        FollowedReply events = follow(build + "/log?follow=true", "Accept", "text/event-stream");
        for (int i = 0; !events.text().contains("data: started") && i < 500; i++) {
            write(pipe, written, "tick\n");
            Thread.sleep(20);
        }

        pipe.fail(new java.io.IOException("the build system went away"));

        events.done.get(30, TimeUnit.SECONDS);
        assertThat(events.text()).contains("event: error").doesNotContain("event: end");
        // the client's own upload failed; nothing of it is stored
        assertThat(upload).failsWithin(30, TimeUnit.SECONDS);
        assertThat(client.get(build + "/log").statusCode()).isEqualTo(404);
    }

    /** A running build whose log is being pushed (chunked) from {@code pipe}. */
    private CompletableFuture<HttpResponse<String>> runningBuildUploading(String build, ChunkPipe pipe) {
        client.putJson(build, buildJson("Running"));
        return CompletableFuture.supplyAsync(() -> client.putLog(build + "/log", pipe.input()), THREADS);
    }

    private FollowedReply follow(String path, String... headers) {
        return FollowedReply.of(client, path, headers);
    }

    private static void write(ChunkPipe pipe, StringBuilder written, String text) throws InterruptedException {
        written.append(text);
        pipe.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The data fields of an event stream's line events, in order. */
    private static List<String> dataOf(String stream) {
        List<String> data = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new java.io.StringReader(stream))) {
            String line;
            boolean lineEvent = true;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event: ")) {
                    lineEvent = false;
                } else if (line.isEmpty()) {
                    lineEvent = true;
                } else if (line.startsWith("data: ") && lineEvent) {
                    data.add(line.substring(6));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return data;
    }
}
