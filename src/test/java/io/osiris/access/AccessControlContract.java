package io.osiris.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.osiris.OsirisApplication;
import io.osiris.grpc.v1.GetLogRequest;
import io.osiris.grpc.v1.InfoRequest;
import io.osiris.grpc.v1.ListBuildsRequest;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutBuildRequest;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.OsirisClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Access control in mode {@code kubernetes}, on every door: REST v1, the legacy API, gRPC and the actuator. The same
 * suite runs against the fabric8 mock answering the reviews from a table ({@link AccessControlTest}) and against a
 * real kube-apiserver with RBAC, where Roles grant the permissions ({@code AccessControlKubeIT}).
 *
 * <p>The users (token {@code token-<user>}) and what the cluster grants them, in group {@code osiris.io}:
 * admin-a every verb in team-a; reader-a get, list in team-a; writer-a get, list, create, update in team-a (an
 * observer); creator-a create in team-a; writer-b get, list, create, update in team-b; lister list at cluster scope;
 * scraper get on the path /metrics; nobody nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessControlContract {

    static final List<String> ALL = List.of("get", "list", "create", "update", "delete");
    static final List<String> READ = List.of("get", "list");
    static final List<String> WRITE = List.of("get", "list", "create", "update");
    static final List<String> RESOURCES = List.of("builds", "builds/log");
    static final ObjectMapper JSON = new ObjectMapper();

    private ConfigurableApplicationContext osiris;
    private ManagedChannel grpc;
    private Path data;
    protected int port;

    /** Grants verbs on builds and builds/log in a namespace (null: cluster scope) to a user. */
    protected abstract void grant(String user, String namespace, List<String> verbs);

    protected abstract void grantMetrics(String user);

    /** The users that exist without any grant. */
    protected abstract void user(String user);

    /** How Osiris reaches the Kubernetes API, with its own identity. */
    protected abstract Config osirisIdentity();

    protected List<String> settings() {
        return List.of();
    }

    @BeforeAll
    void startOsiris() throws IOException {
        grant("admin-a", "team-a", ALL);
        grant("reader-a", "team-a", READ);
        grant("writer-a", "team-a", WRITE);
        grant("creator-a", "team-a", List.of("create"));
        grant("writer-b", "team-b", WRITE);
        grant("lister", null, List.of("list"));
        grantMetrics("scraper");
        user("nobody");
        data = Files.createTempDirectory("osiris-access");
        int grpcPort = DevCertificates.freePort();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--osiris.auth.mode=kubernetes",
                "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                "--osiris.spool.directory=" + data.resolve("spool")));
        args.addAll(DevCertificates.grpcServer(grpcPort, false));
        args.addAll(settings());
        Config identity = osirisIdentity();
        osiris = new SpringApplicationBuilder(OsirisApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("kubernetesConfig", identity))
                .run(args.toArray(String[]::new));
        port = ((WebServerApplicationContext) osiris).getWebServer().getPort();
        grpc = GrpcClients.channel(grpcPort, DevCertificates.TRUSTED, null);

        as("admin-a").putJson("/api/v1/namespaces/team-a/builds/app-1", "{\"phase\":\"Complete\"}");
        as("admin-a").putLog("/api/v1/namespaces/team-a/builds/app-1/log", "line 1\nline 2\n");
        as("writer-b").putJson("/api/v1/namespaces/team-b/builds/app-b", "{\"phase\":\"Complete\"}");
        as("writer-b").putLog("/api/v1/namespaces/team-b/builds/app-b/log", "secret of team b\n");
    }

    @AfterAll
    void stopOsiris() {
        if (grpc != null) {
            grpc.shutdownNow();
        }
        if (osiris != null) {
            osiris.close();
        }
    }

    OsirisClient as(String user) {
        return new OsirisClient(port, "token-" + user);
    }

    OsirisClient anonymous() {
        return new OsirisClient(port);
    }

    // ---- REST v1

    @Test
    void anonymousAndUnknownCallersGet401WithABearerChallengeOnEveryHttpDoor() {
        for (OsirisClient caller : List.of(anonymous(), new OsirisClient(port, "not-a-token"))) {
            List<HttpResponse<String>> replies = List.of(
                    caller.get("/api/v1/namespaces/team-a/builds/app-1"),
                    caller.get("/api/v1/namespaces/team-a/builds/app-1/log"),
                    caller.get("/api/v1/builds"),
                    caller.putJson("/api/v1/namespaces/team-a/builds/app-1", "{\"phase\":\"Failed\"}"),
                    caller.putLog("/api/v1/namespaces/team-a/builds/app-1/log", "overwritten\n"),
                    caller.delete("/api/v1/namespaces/team-a/builds/app-1"),
                    caller.get("/build/info/app-1"),
                    caller.get("/build/info/page"),
                    caller.putJson("/build/started/app-1", buildObject("app-1", "team-a", "Running")));
            for (HttpResponse<String> reply : replies) {
                assertThat(reply.statusCode()).as(reply.uri().toString()).isEqualTo(401);
                assertThat(reply.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"osiris\"");
                assertThat(parse(reply.body()).toString()).contains("token").doesNotContain("Exception");
            }
        }
        assertThat(phase("team-a", "app-1")).isEqualTo("Complete");
        assertThat(as("admin-a").get("/api/v1/namespaces/team-a/builds/app-1/log").body())
                .isEqualTo("line 1\nline 2\n");
        // the challenge is Osiris' own, whatever the request carried
        assertThat(anonymous().get("/api/v1/builds", "WWW-Authenticate", "Basic realm=evil").headers()
                .allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"osiris\"");
    }

    @Test
    void aReaderReadsItsNamespaceAndCanNeitherWriteNorDelete() {
        OsirisClient reader = as("reader-a");
        assertThat(reader.get("/api/v1/namespaces/team-a/builds/app-1").statusCode()).isEqualTo(200);
        assertThat(reader.get("/api/v1/namespaces/team-a/builds/app-1/log").body()).isEqualTo("line 1\nline 2\n");
        assertThat(reader.get("/api/v1/namespaces/team-a/builds").body()).contains("\"app-1\"");

        HttpResponse<String> put = reader.putJson("/api/v1/namespaces/team-a/builds/app-1", "{\"phase\":\"Failed\"}");
        assertForbidden(put, "'reader-a' may not create on osiris.io builds in namespace team-a");
        assertForbidden(reader.putLog("/api/v1/namespaces/team-a/builds/app-1/log", "overwritten\n"),
                "'reader-a' may not create on osiris.io builds/log in namespace team-a");
        assertForbidden(reader.delete("/api/v1/namespaces/team-a/builds/app-1"),
                "'reader-a' may not delete on osiris.io builds in namespace team-a");

        assertThat(phase("team-a", "app-1")).isEqualTo("Complete");
        assertThat(as("admin-a").get("/api/v1/namespaces/team-a/builds/app-1/log").body())
                .isEqualTo("line 1\nline 2\n");
    }

    @Test
    void aWriterOfOneNamespaceCannotTouchAnotherNorLearnWhatIsThere() {
        OsirisClient writer = as("writer-a");
        assertThat(writer.putJson("/api/v1/namespaces/team-a/builds/app-2", "{\"phase\":\"Complete\"}")
                .statusCode()).isEqualTo(200);
        assertThat(writer.putLog("/api/v1/namespaces/team-a/builds/app-2/log", "mine\n").statusCode())
                .isEqualTo(201);

        assertForbidden(writer.putJson("/api/v1/namespaces/team-b/builds/app-x", "{\"phase\":\"Complete\"}"),
                "may not create on osiris.io builds in namespace team-b");
        assertForbidden(writer.putLog("/api/v1/namespaces/team-b/builds/app-b/log", "overwritten\n"),
                "may not create on osiris.io builds/log in namespace team-b");
        assertForbidden(writer.delete("/api/v1/namespaces/team-b/builds/app-b"), "may not delete");

        HttpResponse<String> existing = writer.get("/api/v1/namespaces/team-b/builds/app-b");
        HttpResponse<String> missing = writer.get("/api/v1/namespaces/team-b/builds/no-such-build");
        assertForbidden(existing, "may not get on osiris.io builds in namespace team-b");
        assertThat(missing.statusCode()).isEqualTo(existing.statusCode());
        assertThat(missing.body()).isEqualTo(existing.body());
        HttpResponse<String> existingLog = writer.get("/api/v1/namespaces/team-b/builds/app-b/log");
        HttpResponse<String> missingLog = writer.get("/api/v1/namespaces/team-b/builds/no-such-build/log");
        assertThat(existingLog.statusCode()).isEqualTo(403);
        assertThat(missingLog.body()).isEqualTo(existingLog.body()).doesNotContain("secret");

        OsirisClient owner = as("writer-b");
        assertThat(owner.get("/api/v1/namespaces/team-b/builds/app-b/log").body()).isEqualTo("secret of team b\n");
        assertThat(owner.get("/api/v1/namespaces/team-b/builds/app-x").statusCode()).isEqualTo(404);
    }

    @Test
    void aCallerWhoMayNotWriteIsRefusedBeforeItSendsTheBody() throws IOException {
        // as curl does for large uploads: headers with Expect: 100-continue, the body only once the server asks
        for (String token : java.util.Arrays.asList(null, "token-reader-a", "token-writer-b")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                String request = "PUT /api/v1/namespaces/team-a/builds/app-1/log HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: text/plain\r\nContent-Length: " + (64L << 20) + "\r\nExpect: 100-continue\r\n"
                        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                        java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                assertThat(status).as("the first answer, before any body byte").isEqualTo(
                        token == null ? "HTTP/1.1 401 " : "HTTP/1.1 403 ");
            }
        }
        assertThat(as("admin-a").get("/api/v1/namespaces/team-a/builds/app-1/log").body())
                .isEqualTo("line 1\nline 2\n");
    }

    @Test
    void creatingABuildAndUpdatingOneArePermissionsOfTheirOwn() {
        OsirisClient creator = as("creator-a");
        assertThat(creator.putJson("/api/v1/namespaces/team-a/builds/created-1", "{\"phase\":\"Running\"}")
                .statusCode()).isEqualTo(200);
        assertForbidden(creator.putJson("/api/v1/namespaces/team-a/builds/created-1", "{\"phase\":\"Failed\"}"),
                "'creator-a' may not update on osiris.io builds in namespace team-a");
        assertThat(phase("team-a", "created-1")).isEqualTo("Running");
    }

    @Test
    void listingEveryNamespaceNeedsListAtClusterScope() {
        assertForbidden(as("reader-a").get("/api/v1/builds"),
                "'reader-a' may not list on osiris.io builds at cluster scope");
        HttpResponse<String> legacyPage = as("reader-a").get("/build/info/page");
        assertThat(legacyPage.statusCode()).isEqualTo(403);
        assertThat(legacyPage.body()).contains("'reader-a' may not list on osiris.io builds at cluster scope");
        assertForbidden(as("lister").get("/api/v1/namespaces/team-a/builds/app-1"), "may not get");
        HttpResponse<String> all = as("lister").get("/api/v1/builds");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("\"team-a\"").contains("\"team-b\"");
        assertThat(as("lister").get("/build/info/page").statusCode()).isEqualTo(200);
        assertForbidden(as("nobody").get("/api/v1/namespaces/team-a/builds"),
                "'nobody' may not list on osiris.io builds in namespace team-a");
    }

    @Test
    void onlyACallerWithDeleteDeletes() {
        as("writer-a").putJson("/api/v1/namespaces/team-a/builds/to-delete", "{\"phase\":\"Complete\"}");
        assertForbidden(as("writer-a").delete("/api/v1/namespaces/team-a/builds/to-delete"),
                "'writer-a' may not delete on osiris.io builds in namespace team-a");
        assertThat(phase("team-a", "to-delete")).isEqualTo("Complete");
        assertThat(as("admin-a").delete("/api/v1/namespaces/team-a/builds/to-delete").statusCode()).isEqualTo(204);
        assertThat(as("admin-a").get("/api/v1/namespaces/team-a/builds/to-delete").statusCode()).isEqualTo(404);
    }

    // ---- legacy API

    @Test
    void legacyObserversWriteWithTheirTokenOnlyWhereTheyMayAndCannotMoveAnIdAway() {
        OsirisClient observer = as("writer-a");
        assertThat(observer.putJson("/build/completed/leg-1", buildObject("leg-1", "team-a", "Complete"))
                .statusCode()).isEqualTo(202);
        assertThat(observer.putJson("/build/logs/leg-1", "{\"data\":\"legacy log\\n\"}").statusCode())
                .isEqualTo(200);
        assertThat(legacyPayload(as("reader-a").get("/build/info/leg-1")).path("build_status").asText())
                .isEqualTo("Complete");
        assertThat(legacyPayload(as("reader-a").get("/build/logs/leg-1")).path("data").asText())
                .isEqualTo("legacy log\n");

        HttpResponse<String> stranger = as("writer-b").get("/build/info/leg-1");
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.body()).contains("may not get on osiris.io builds in namespace team-a");
        assertThat(as("writer-b").get("/build/logs/leg-1").statusCode()).isEqualTo(403);
        assertThat(as("writer-b").putJson("/build/logs/leg-1", "{\"data\":\"overwritten\\n\"}").statusCode())
                .isEqualTo(403);

        // writer-b may write team-b, but re-pointing team-a's id there needs update in team-a
        HttpResponse<String> move = as("writer-b").putJson("/build/completed/leg-1",
                buildObject("leg-1", "team-b", "Failed"));
        assertThat(move.statusCode()).isEqualTo(403);
        assertThat(move.body()).contains("may not update on osiris.io builds in namespace team-a");
        assertThat(as("writer-a").putJson("/build/completed/leg-2", buildObject("leg-2", "team-b", "Complete"))
                .statusCode()).isEqualTo(403);
        assertThat(legacyPayload(as("reader-a").get("/build/info/leg-1")).path("build_status").asText())
                .isEqualTo("Complete");
        assertThat(as("writer-b").get("/api/v1/namespaces/team-b/builds/leg-1").statusCode()).isEqualTo(404);
        assertThat(legacyPayload(as("reader-a").get("/build/logs/leg-1")).path("data").asText())
                .isEqualTo("legacy log\n");
    }

    @Test
    void legacyProbesStayAnonymous() {
        assertThat(anonymous().get("/probes/liveness").statusCode()).isEqualTo(200);
    }

    // ---- gRPC

    @Test
    void grpcRefusesACallWithoutAValidTokenBeforeItStarts() {
        assertGrpcStatus(() -> OsirisGrpc.newBlockingStub(grpc).info(InfoRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "Bearer");
        assertGrpcStatus(() -> OsirisGrpc.newBlockingStub(as(grpc, "not-a-token"))
                .listBuilds(ListBuildsRequest.newBuilder().setNamespace("team-a").build()),
                Status.Code.UNAUTHENTICATED, "not valid");
        assertThat(OsirisGrpc.newBlockingStub(as(grpc, "token-reader-a")).info(InfoRequest.getDefaultInstance())
                .getName()).isEqualTo("osiris");
    }

    @Test
    void grpcChecksEveryPermissionLikeRest() throws Exception {
        Channel reader = as(grpc, "token-reader-a");
        GrpcCalls.Collector log = new GrpcCalls.Collector(true);
        OsirisGrpc.newStub(reader).getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("team-a", "app-1"))
                .build(), log);
        log.done.get();
        assertThat(log.text()).isEqualTo("line 1\nline 2\n");
        assertThat(OsirisGrpc.newBlockingStub(reader).listBuilds(ListBuildsRequest.newBuilder()
                .setNamespace("team-a").build()).getBuildsList()).isNotEmpty();

        assertGrpcStatus(() -> GrpcCalls.putLog(reader, GrpcCalls.ref("team-a", "app-1"),
                new ByteArrayInputStream("overwritten\n".getBytes())), Status.Code.PERMISSION_DENIED,
                "'reader-a' may not create on osiris.io builds/log in namespace team-a");
        assertGrpcStatus(() -> OsirisGrpc.newBlockingStub(reader).listBuilds(ListBuildsRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "at cluster scope");
        assertGrpcStatus(() -> OsirisGrpc.newBlockingStub(reader).putBuild(PutBuildRequest.newBuilder()
                        .setBuild(GrpcCalls.ref("team-a", "app-1")).setInfo(io.osiris.grpc.v1.BuildInfo.newBuilder()
                                .setPhase("Failed")).build()),
                Status.Code.PERMISSION_DENIED, "may not create on osiris.io builds in namespace team-a");

        Channel writer = as(grpc, "token-writer-a");
        assertGrpcStatus(() -> GrpcCalls.putLog(writer, GrpcCalls.ref("team-b", "app-b"),
                new ByteArrayInputStream("overwritten\n".getBytes())), Status.Code.PERMISSION_DENIED,
                "in namespace team-b");
        GrpcCalls.Collector other = new GrpcCalls.Collector(true);
        OsirisGrpc.newStub(writer).followLog(io.osiris.grpc.v1.FollowLogRequest.newBuilder()
                .setBuild(GrpcCalls.ref("team-b", "app-b")).build(), other);
        assertThatThrownBy(other.done::get).hasRootCauseInstanceOf(StatusRuntimeException.class)
                .rootCause().hasMessageContaining("PERMISSION_DENIED");
        OsirisGrpc.newBlockingStub(writer).putBuild(PutBuildRequest.newBuilder()
                .setBuild(GrpcCalls.ref("team-a", "grpc-1")).setInfo(io.osiris.grpc.v1.BuildInfo.newBuilder()
                        .setPhase("Complete")).build());
        assertThat(GrpcCalls.putLog(writer, GrpcCalls.ref("team-a", "grpc-1"),
                new ByteArrayInputStream("from grpc\n".getBytes())).getSize()).isEqualTo(10);

        assertThat(as("writer-b").get("/api/v1/namespaces/team-b/builds/app-b/log").body())
                .isEqualTo("secret of team b\n");
        assertThat(phase("team-a", "app-1")).isEqualTo("Complete");
    }

    // ---- actuator and audit

    @Test
    void healthIsAnonymousWithoutDetailsAndMetricsNeedTheMetricsPermission() {
        HttpResponse<String> anonymousHealth = anonymous().get("/actuator/health/readiness");
        assertThat(anonymousHealth.statusCode()).isEqualTo(200);
        assertThat(anonymousHealth.body()).contains("\"status\":\"UP\"").doesNotContain("components")
                .doesNotContain("bucket");
        assertThat(as("reader-a").get("/actuator/health/readiness").body()).contains("components");

        assertThat(anonymous().get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertForbidden(as("reader-a").get("/actuator/prometheus"), "may not get /metrics");
        HttpResponse<String> scrape = as("scraper").get("/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("osiris_audit_events_total");
    }

    @Test
    void writesDeletesAndRefusalsAreAuditedWithWhoWhatAndFromWhere() {
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        audit.start();
        Logger logger = (Logger) LoggerFactory.getLogger("osiris.audit");
        logger.addAppender(audit);
        try {
            as("admin-a").putJson("/api/v1/namespaces/team-a/builds/audited", "{\"phase\":\"Complete\"}");
            as("reader-a").delete("/api/v1/namespaces/team-a/builds/audited");
            as("admin-a").delete("/api/v1/namespaces/team-a/builds/audited");
            anonymous().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + port + "/api/v1/namespaces/team-a/builds/audited"))
                    .header("Osiris-Client-Address", "203.0.113.9").DELETE().build()); // not believed
            as("reader-a").get("/api/v1/namespaces/team-a/builds/app-1");
            anonymous().get("/api/v1/builds");
            as("writer-a").putJson("/build/started/audited-legacy", buildObject("audited-legacy", "team-a", "Running"));
            assertGrpcStatus(() -> OsirisGrpc.newBlockingStub(grpc).listBuilds(ListBuildsRequest.getDefaultInstance()),
                    Status.Code.UNAUTHENTICATED, "Bearer");
            // a write's line is written when its exchange completes, which may be just after the reply
            io.osiris.support.Await.value(java.time.Duration.ofSeconds(10), () -> audit.list.size() >= 7 ? true : null);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            logger.detachAppender(audit);
        }
        List<String> lines = audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        // a write's line is written as its exchange ends, which may come after the next call's refusal
        assertThat(lines).containsExactlyInAnyOrder(
                "audit who=\"admin-a\" verb=create resource=builds namespace=team-a build=audited outcome=done"
                        + " client=127.0.0.1",
                "audit who=\"reader-a\" verb=delete resource=builds namespace=team-a build=audited outcome=denied"
                        + " client=127.0.0.1",
                "audit who=\"admin-a\" verb=delete resource=builds namespace=team-a build=audited outcome=done"
                        + " client=127.0.0.1",
                "audit who=\"-\" verb=delete resource=builds namespace=team-a build=audited outcome=unauthenticated"
                        + " client=127.0.0.1 detail=\"authentication required: send Authorization: Bearer <token>\"",
                "audit who=\"-\" verb=list resource=builds namespace=* build=- outcome=unauthenticated"
                        + " client=127.0.0.1 detail=\"authentication required: send Authorization: Bearer <token>\"",
                "audit who=\"writer-a\" verb=create resource=builds namespace=team-a build=audited-legacy outcome=done"
                        + " client=127.0.0.1",
                "audit who=\"-\" verb=list resource=builds namespace=? build=- outcome=unauthenticated"
                        + " client=127.0.0.1 detail=\"authentication required: send Authorization: Bearer <token>\"");
    }

    // ---- helpers

    private String phase(String namespace, String name) {
        return parse(as(namespace.equals("team-a") ? "admin-a" : "writer-b").get("/api/v1/namespaces/" + namespace + "/builds/" + name).body()).path("phase").asText();
    }

    static void assertForbidden(HttpResponse<String> reply, String message) {
        assertThat(reply.statusCode()).as(reply.uri() + " " + reply.body()).isEqualTo(403);
        assertThat(parse(reply.body()).path("message").asText()).contains(message);
        assertThat(reply.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    static void assertGrpcStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code,
                                 String message) {
        assertThatThrownBy(call).satisfies(e -> {
            Throwable t = e;
            while (!(t instanceof StatusRuntimeException) && t.getCause() != null) {
                t = t.getCause();
            }
            assertThat(t).isInstanceOf(StatusRuntimeException.class);
            Status status = ((StatusRuntimeException) t).getStatus();
            assertThat(status.getCode()).isEqualTo(code);
            assertThat(status.getDescription()).contains(message);
        });
    }

    static Channel as(Channel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode legacyPayload(HttpResponse<String> reply) {
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return parse(reply.body()).path("data").path("payload");
    }

    static String buildObject(String name, String namespace, String phase) {
        return """
                {"kind":"Build","apiVersion":"build.openshift.io/v1",
                 "metadata":{"name":"%s","namespace":"%s","uid":"u-%s"},
                 "status":{"phase":"%s","startTimestamp":"2026-11-29T10:00:00Z",
                           "completionTimestamp":"2026-11-29T10:05:00Z"}}""".formatted(name, namespace, name, phase);
    }
}
