package io.osiris.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.osiris.grpc.v1.BuildInfo;
import io.osiris.grpc.v1.FollowLogRequest;
import io.osiris.grpc.v1.GetLogRequest;
import io.osiris.grpc.v1.InfoRequest;
import io.osiris.grpc.v1.ListBuildsRequest;
import io.osiris.grpc.v1.LogInfo;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutBuildRequest;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.LogStreams;
import io.osiris.support.RunningOsiris;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gRPC door over mutual TLS with a grpc-java client; REST shows the same data. */
class GrpcApiTest extends RunningOsiris {

    private static final int GRPC_PORT = DevCertificates.freePort();
    private static final long MiB = 1024 * 1024;

    private ManagedChannel channel;
    private OsirisGrpc.OsirisBlockingStub osiris;

    @DynamicPropertySource
    static void grpc(DynamicPropertyRegistry registry) {
        registry.add("osiris.grpc.enabled", () -> "true");
        registry.add("osiris.grpc.host", () -> "127.0.0.1");
        registry.add("osiris.grpc.port", () -> GRPC_PORT);
        registry.add("osiris.grpc.tls.cert-chain", () -> DevCertificates.TRUSTED.resolve("server.crt"));
        registry.add("osiris.grpc.tls.private-key", () -> DevCertificates.TRUSTED.resolve("server.key"));
        registry.add("osiris.grpc.tls.client-ca", () -> DevCertificates.TRUSTED.resolve("ca.crt"));
    }

    @BeforeEach
    void connect() {
        channel = GrpcClients.channel(GRPC_PORT, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
        osiris = OsirisGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void hundredMebibytePutLogThenGetLogIsByteIdenticalAndRestServesTheSame() throws Exception {
        osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-big", "b1"))
                .setInfo(BuildInfo.newBuilder().setPhase("Complete").putLabels("door", "grpc")).build());
        String expected = LogStreams.sha256(LogStreams.text(100 * MiB, 21));

        LogInfo stored = GrpcCalls.putLog(channel, GrpcCalls.ref("grpc-big", "b1"), LogStreams.text(100 * MiB, 21));

        assertThat(stored.getSize()).isEqualTo(100 * MiB);
        assertThat(stored.getSha256()).isEqualTo(expected);
        GrpcCalls.Collector got = new GrpcCalls.Collector(false);
        OsirisGrpc.newStub(channel).getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-big", "b1"))
                .build(), got);
        assertThat(got.sha256()).isEqualTo(expected);
        try (InputStream rest = client.getStream("/api/v1/namespaces/grpc-big/builds/b1/log").body()) {
            assertThat(LogStreams.sha256(rest)).isEqualTo(expected);
        }
        assertThat(parse(client.get("/api/v1/namespaces/grpc-big/builds/b1").body()).path("labels").path("door")
                .asText()).isEqualTo("grpc");
    }

    @Test
    void getLogServesTheLastLinesOrFromAnOffset() throws Exception {
        putBuild("grpc-views", "b1", "Complete");
        GrpcCalls.putLog(channel, GrpcCalls.ref("grpc-views", "b1"),
                new java.io.ByteArrayInputStream("one\ntwo\nthree\n".getBytes()));

        assertThat(getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-views", "b1")).setTailLines(1)))
                .isEqualTo("three\n");
        assertThat(getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-views", "b1")).setOffset(4)))
                .isEqualTo("two\nthree\n");
        // at the end: nothing more to read; past it: OUT_OF_RANGE naming the size, not INTERNAL
        assertThat(getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-views", "b1")).setOffset(14)))
                .isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> getLog(GetLogRequest.newBuilder()
                        .setBuild(GrpcCalls.ref("grpc-views", "b1")).setOffset(15)))
                .hasRootCauseInstanceOf(io.grpc.StatusRuntimeException.class)
                .rootCause().hasMessageContaining("OUT_OF_RANGE").hasMessageContaining("14 bytes");
    }

    @Test
    void aLogSentOverGrpcIsStoredWithItsSecretsMasked() throws Exception {
        putBuild("grpc-secrets", "b1", "Complete");
        GrpcCalls.putLog(channel, GrpcCalls.ref("grpc-secrets", "b1"), new java.io.ByteArrayInputStream(
                "login\nexport GITHUB_TOKEN=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\ndone\n".getBytes()));

        assertThat(getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-secrets", "b1"))))
                .isEqualTo("login\nexport GITHUB_TOKEN=[MASKED]\ndone\n");
    }

    @Test
    void followLogReceivesLinesWhileTheyAreWrittenAndEndsWithTheLog() throws Exception {
        putBuild("grpc-follow", "b1", "Running");
        GrpcCalls.Upload upload = new GrpcCalls.Upload(channel, GrpcCalls.ref("grpc-follow", "b1"));
        StringBuilder written = new StringBuilder();
        written.append("line 1\n");
        upload.send("line 1\n");
        GrpcCalls.Collector follower = new GrpcCalls.Collector(true);
        follow("grpc-follow", "b1", follower);

        // the build goes on writing; the follower sees its lines while the upload is still open
        writeUntil(upload, written, () -> !follower.text().isEmpty());
        assertThat(follower.text()).startsWith("line 1\n");
        assertThat(upload.reply).isNotDone();
        assertThat(follower.done).isNotDone();

        written.append("last line\n");
        upload.send("last line\n");
        LogInfo stored = upload.complete();

        follower.done.get(30, TimeUnit.SECONDS);
        assertThat(follower.text()).isEqualTo(written.toString());
        assertThat(stored.getSha256()).isEqualTo(LogStreams.sha256(
                new java.io.ByteArrayInputStream(written.toString().getBytes())));
    }

    @Test
    void aRestFollowerSeesAGrpcPutLogWhileItIsSent() throws Exception {
        putBuild("grpc-follow", "rest", "Running");
        GrpcCalls.Upload upload = new GrpcCalls.Upload(channel, GrpcCalls.ref("grpc-follow", "rest"));
        StringBuilder written = new StringBuilder("line 1\n");
        upload.send("line 1\n");
        io.osiris.support.FollowedReply events = io.osiris.support.FollowedReply.of(client,
                "/api/v1/namespaces/grpc-follow/builds/rest/log?follow=true", "Accept", "text/event-stream");

        writeUntil(upload, written, () -> events.text().contains("data: line 1"));
        assertThat(events.text()).contains("id: 1\ndata: line 1\n\n");
        assertThat(upload.reply).isNotDone();

        written.append("last line\n");
        upload.send("last line\n");
        upload.complete();
        events.done.get(30, TimeUnit.SECONDS);
        int lines = (int) written.chars().filter(c -> c == '\n').count();
        assertThat(events.text()).contains("id: " + lines + "\ndata: last line\n\n")
                .endsWith("event: end\ndata: {\"lastLine\":" + lines + "}\n\n");
    }

    @Test
    void followLogOfAFinishedBuildSendsItsStoredLog() throws Exception {
        putBuild("grpc-follow", "done", "Complete");
        GrpcCalls.putLog(channel, GrpcCalls.ref("grpc-follow", "done"),
                new java.io.ByteArrayInputStream("all of it\n".getBytes()));
        GrpcCalls.Collector follower = new GrpcCalls.Collector(true);

        OsirisGrpc.newStub(channel).followLog(FollowLogRequest.newBuilder()
                .setBuild(GrpcCalls.ref("grpc-follow", "done")).build(), follower);

        follower.done.get(30, TimeUnit.SECONDS);
        assertThat(follower.text()).isEqualTo("all of it\n");
    }

    @Test
    void listBuildsAndInfoAnswer() {
        putBuild("grpc-list", "a", "Complete");
        putBuild("grpc-list", "b", "Failed");

        var page = osiris.listBuilds(ListBuildsRequest.newBuilder().setNamespace("grpc-list").setPhase("Failed").build());

        assertThat(page.getBuildsList()).extracting(b -> b.getName()).containsExactly("b");
        assertThat(osiris.info(InfoRequest.getDefaultInstance()).getName()).isEqualTo("osiris");
        assertThat(names(osiris.listBuilds(ListBuildsRequest.newBuilder().setNamespace("grpc-list").setLimit(1).build())))
                .containsExactly("a");
    }

    @Test
    void buildsNameTheirClusterAndListsFilterByIt() throws Exception {
        for (String cluster : List.of("edge", "core")) {
            osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-clusters", "same").toBuilder()
                    .setCluster(cluster)).setInfo(BuildInfo.newBuilder().setPhase("Complete")).build());
            GrpcCalls.putLog(channel, GrpcCalls.ref("grpc-clusters", "same").toBuilder().setCluster(cluster).build(),
                    new java.io.ByteArrayInputStream(("log of " + cluster + "\n").getBytes()));
        }
        putBuild("grpc-clusters", "home-only", "Complete");

        var edge = osiris.listBuilds(ListBuildsRequest.newBuilder().setNamespace("grpc-clusters").setCluster("edge")
                .build());
        assertThat(edge.getBuildsList()).extracting(b -> b.getName() + "@" + b.getCluster()).containsExactly("same@edge");
        assertThat(osiris.listBuilds(ListBuildsRequest.newBuilder().setNamespace("grpc-clusters").build())
                .getBuildsList()).extracting(b -> b.getCluster()).containsExactlyInAnyOrder("edge", "core", "local");
        // the same bytes over REST, per cluster; a BuildRef without cluster means the home cluster
        assertThat(client.get("/api/v1/namespaces/grpc-clusters/builds/same/log?cluster=core").body())
                .isEqualTo("log of core\n");
        assertThat(client.get("/api/v1/namespaces/grpc-clusters/builds/home-only?cluster=local").statusCode())
                .isEqualTo(200);
        assertCode(() -> osiris.listBuilds(ListBuildsRequest.newBuilder().setCluster("No_Such").build()),
                Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void mistakesGetTheirStatusCode() {
        assertCode(() -> osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-errors", "Bad_Name"))
                .setInfo(BuildInfo.newBuilder().setPhase("Complete")).build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-errors", "b1"))
                .setInfo(BuildInfo.newBuilder().setPhase("Sleeping")).build()), Status.Code.INVALID_ARGUMENT);
        // the bounds of a record hold at this door too (route build-info-store checks them for every door)
        assertCode(() -> osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-errors", "b1"))
                .setInfo(BuildInfo.newBuilder().setPhase("Complete").setMessage("m".repeat(4097))).build()),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-errors", "b1"))
                .setInfo(BuildInfo.newBuilder().setPhase("Complete").putLabels("app", "v".repeat(1025))).build()),
                Status.Code.INVALID_ARGUMENT);
        assertCode(() -> osiris.getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-errors", "ghost"))
                .build()).hasNext(), Status.Code.NOT_FOUND);
        assertCode(() -> osiris.listBuilds(ListBuildsRequest.newBuilder().setLimit(5000).build()),
                Status.Code.INVALID_ARGUMENT);
        assertThatThrownBy(() -> GrpcCalls.putLog(channel, GrpcCalls.ref("grpc-errors", "ghost"),
                new java.io.ByteArrayInputStream("x".getBytes())))
                .hasRootCauseInstanceOf(StatusRuntimeException.class)
                .rootCause().satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void clientsWithoutOrWithAStrangeCertificateAreRefused() throws InterruptedException {
        for (java.nio.file.Path certs : new java.nio.file.Path[] {null, DevCertificates.STRANGER}) {
            ManagedChannel stranger = GrpcClients.channel(GRPC_PORT, DevCertificates.TRUSTED, certs);
            try {
                assertCode(() -> OsirisGrpc.newBlockingStub(stranger).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .info(InfoRequest.getDefaultInstance()), Status.Code.UNAVAILABLE);
            } finally {
                stranger.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void healthAndReflectionServeGenericTools() throws Exception {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService("osiris.v1.Osiris").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<ServerReflectionResponse> reply = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> ask = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    public void onNext(ServerReflectionResponse value) {
                        reply.complete(value);
                    }

                    public void onError(Throwable t) {
                        reply.completeExceptionally(t);
                    }

                    public void onCompleted() {
                    }
                });
        ask.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        List<String> services = new ArrayList<>();
        reply.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList()
                .forEach(s -> services.add(s.getName()));
        ask.onCompleted();
        assertThat(services).contains("osiris.v1.Osiris", "grpc.health.v1.Health");
    }

    private void putBuild(String namespace, String name, String phase) {
        osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref(namespace, name))
                .setInfo(BuildInfo.newBuilder().setPhase(phase)).build());
    }

    private String getLog(GetLogRequest.Builder request) throws Exception {
        GrpcCalls.Collector got = new GrpcCalls.Collector(true);
        OsirisGrpc.newStub(channel).getLog(request.build(), got);
        got.done.get(30, TimeUnit.SECONDS);
        return got.text();
    }

    private void follow(String namespace, String name, GrpcCalls.Collector follower) {
        OsirisGrpc.newStub(channel).followLog(FollowLogRequest.newBuilder()
                .setBuild(GrpcCalls.ref(namespace, name)).build(), follower);
    }

    private static List<String> names(io.osiris.grpc.v1.ListBuildsReply page) {
        return page.getBuildsList().stream().map(b -> b.getName()).toList();
    }

    private static void assertCode(Runnable call, Status.Code code) {
        assertThatThrownBy(call::run).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(code))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception"));
    }

    /** The build goes on writing lines ("line 2", ...) every 50 ms until {@code seen} (or 600 lines). */
    private static void writeUntil(GrpcCalls.Upload upload, StringBuilder written,
                                   java.util.function.BooleanSupplier seen) throws InterruptedException {
        for (int i = 2; !seen.getAsBoolean() && i < 600; i++) {
            String line = "line " + i + "\n";
            written.append(line);
            upload.send(line);
            Thread.sleep(50);
        }
    }
}
