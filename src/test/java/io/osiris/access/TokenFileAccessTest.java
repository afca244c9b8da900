package io.osiris.access;

import static io.osiris.access.AccessControlContract.as;
import static io.osiris.access.AccessControlContract.assertForbidden;
import static io.osiris.access.AccessControlContract.assertGrpcStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.osiris.OsirisApplication;
import io.osiris.grpc.v1.ListBuildsRequest;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.support.Await;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.KubernetesAuthMock;
import io.osiris.support.OsirisClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Modes {@code kubernetes,tokens} together: observers without a Kubernetes identity use tokens of the mounted
 * tokens file (hashed, scoped to namespaces and verbs, re-read when the file changes), gRPC clients may be known by
 * their TLS client certificate, and users of the cluster keep using their Kubernetes tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenFileAccessTest {

    private static final String OBSERVER = "observer-3b1f9c2e8d7a4f60a1c5";
    private static final String ROTATED = "observer-7e2d4c1a9b8f3e60d2a7";
    /** An observer in another cluster, "prod": its token is scoped to that cluster. */
    private static final String PROD_OBSERVER = "observer-prod-5c2e9a7d1b3f48e6";
    private static final String ADMIN = "admin-9f1e3d5c7b2a4e6f8d0c";

    private final KubernetesAuthMock kube = new KubernetesAuthMock();
    private ConfigurableApplicationContext osiris;
    private ManagedChannel certified;
    private Path tokens;
    private int port;

    @BeforeAll
    void start() throws IOException {
        kube.grant("alice", "team-a", List.of("get", "list"), List.of("builds", "builds/log"));
        Path data = Files.createTempDirectory("osiris-tokens");
        tokens = data.resolve("tokens.yaml");
        write(entry("jenkins", OBSERVER, "[team-a]", "[get, list, create, update]")
                + "  - name: ci-reader\n    subject: CN=osiris-client\n    namespaces: [\"*\"]\n    verbs: [get, list]\n"
                + entry("prod-observer", PROD_OBSERVER, "[team-a]", "[get, list, create, update]")
                + "    clusters: [prod]\n"
                + entry("platform-admin", ADMIN, "[\"*\"]", "[get, list, create, update, delete]")
                + "    resources: [builds, builds/log, clusters]\n");
        int grpcPort = DevCertificates.freePort();
        osiris = new SpringApplicationBuilder(OsirisApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("kubernetesConfig", kube.config()))
                .run(Stream.concat(Stream.of("--server.port=0",
                        "--osiris.auth.mode=kubernetes,tokens",
                        "--osiris.auth.tokens-file=" + tokens,
                        "--osiris.auth.tokens-reload=200ms",
                        "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                        "--osiris.spool.directory=" + data.resolve("spool")),
                        DevCertificates.grpcServer(grpcPort, true).stream()).toArray(String[]::new));
        port = ((WebServerApplicationContext) osiris).getWebServer().getPort();
        certified = GrpcClients.channel(grpcPort, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
    }

    @AfterAll
    void stop() {
        certified.shutdownNow();
        osiris.close();
        kube.close();
    }

    @Test
    void anObserverTokenWritesOnlyItsNamespacesWithItsVerbs() {
        OsirisClient observer = new OsirisClient(port, OBSERVER);
        assertThat(observer.putJson("/api/v1/namespaces/team-a/builds/obs-1", "{\"phase\":\"Complete\"}")
                .statusCode()).isEqualTo(200);
        assertThat(observer.putLog("/api/v1/namespaces/team-a/builds/obs-1/log", "pushed\n").statusCode())
                .isEqualTo(201);
        assertThat(observer.get("/api/v1/namespaces/team-a/builds/obs-1/log").body()).isEqualTo("pushed\n");
        assertForbidden(observer.delete("/api/v1/namespaces/team-a/builds/obs-1"),
                "'jenkins' may not delete on osiris.io builds in namespace team-a");
        assertForbidden(observer.putJson("/api/v1/namespaces/team-b/builds/obs-1", "{\"phase\":\"Complete\"}"),
                "'jenkins' may not create on osiris.io builds in namespace team-b");
        assertForbidden(observer.get("/api/v1/builds"), "at cluster scope");
        // a user of the cluster keeps its Kubernetes token
        assertThat(new OsirisClient(port, "token-alice").get("/api/v1/namespaces/team-a/builds/obs-1/log").body())
                .isEqualTo("pushed\n");
    }

    @Test
    void anObserverTokenScopedToOneClusterPushesIntoThatClusterAndNowhereElse() throws Exception {
        OsirisClient prod = new OsirisClient(port, PROD_OBSERVER);
        OsirisClient jenkins = new OsirisClient(port, OBSERVER);
        // no ?cluster=: its pushes land under its cluster, with no access of Osiris to that cluster
        var put = prod.putJson("/api/v1/namespaces/team-a/builds/remote-1", "{\"phase\":\"Complete\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).contains("\"cluster\":\"prod\"");
        assertThat(prod.putLog("/api/v1/namespaces/team-a/builds/remote-1/log", "from prod\n").statusCode())
                .isEqualTo(201);
        assertThat(prod.get("/api/v1/namespaces/team-a/builds/remote-1/log").body()).isEqualTo("from prod\n");
        assertThat(jenkins.get("/api/v1/namespaces/team-a/builds/remote-1/log?cluster=prod").body())
                .isEqualTo("from prod\n");
        assertThat(jenkins.get("/api/v1/namespaces/team-a/builds/remote-1").statusCode()).isEqualTo(404);

        // nowhere else: not another cluster
        assertForbidden(prod.putJson("/api/v1/namespaces/team-a/builds/remote-1?cluster=local",
                "{\"phase\":\"Failed\"}"), "'prod-observer' may not create on osiris.io builds in namespace team-a "
                + "of cluster local");
        assertForbidden(prod.get("/api/v1/namespaces/team-a/builds?cluster=local"), "of cluster local");
        // its lists and searches that name no cluster are of its cluster, where its pushes land
        assertThat(jenkins.putJson("/api/v1/namespaces/team-a/builds/home-only", "{\"phase\":\"Complete\"}")
                .statusCode()).isEqualTo(200);
        jenkins.putLog("/api/v1/namespaces/team-a/builds/home-only/log", "from prod too, but at home\n");
        var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                prod.get("/api/v1/namespaces/team-a/builds").body()).path("items");
        assertThat(listed.findValuesAsText("name")).contains("remote-1").doesNotContain("home-only");
        assertThat(listed.findValuesAsText("cluster")).containsOnly("prod");
        assertThat(prod.get("/api/v1/namespaces/team-a/builds?cluster=prod").body()).contains("\"remote-1\"");
        String found = prod.get("/api/v1/search?namespace=team-a&q=from+prod").body();
        assertThat(found).contains("remote-1").doesNotContain("home-only");
        assertForbidden(prod.get("/api/v1/clusters"), "may not list on osiris.io clusters");

        // the original observers' API and gRPC: the same cluster
        assertThat(prod.putJson("/build/completed/legacy-remote", "{\"metadata\":{\"name\":\"legacy-remote\","
                + "\"namespace\":\"team-a\"},\"status\":{\"phase\":\"Complete\"}}").statusCode()).isEqualTo(202);
        assertThat(jenkins.get("/api/v1/namespaces/team-a/builds/legacy-remote?cluster=prod").statusCode())
                .isEqualTo(200);
        prod.putJson("/api/v1/namespaces/team-a/builds/grpc-remote", "{\"phase\":\"Complete\"}");
        GrpcCalls.putLog(as(certified, PROD_OBSERVER), GrpcCalls.ref("team-a", "grpc-remote"),
                new ByteArrayInputStream("over grpc\n".getBytes()));
        assertThat(jenkins.get("/api/v1/namespaces/team-a/builds/grpc-remote/log?cluster=prod").body())
                .isEqualTo("over grpc\n");

        // the registrations are for admins: clusters at cluster scope
        assertThat(new OsirisClient(port, ADMIN).get("/api/v1/clusters").statusCode()).isEqualTo(200);
        assertForbidden(jenkins.get("/api/v1/clusters"), "may not list on osiris.io clusters");
    }

    @Test
    void theTokenAnOauthProxyForwardsIsReviewedLikeABearerToken() {
        OsirisClient anonymous = new OsirisClient(port);
        anonymous.putJson("/api/v1/namespaces/team-a/builds/proxied", "{\"phase\":\"Complete\"}");
        new OsirisClient(port, OBSERVER).putJson("/api/v1/namespaces/team-a/builds/proxied", "{\"phase\":\"Complete\"}");
        // what OpenShift's oauth-proxy sends in front of the web UI (--pass-access-token)
        assertThat(anonymous.get("/api/v1/namespaces/team-a/builds/proxied", "X-Forwarded-Access-Token", OBSERVER)
                .statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/api/v1/namespaces/team-a/builds/proxied", "X-Forwarded-Access-Token",
                "made-up-token").statusCode()).isEqualTo(401);
        assertForbidden(anonymous.get("/api/v1/builds", "X-Forwarded-Access-Token", OBSERVER), "at cluster scope");
        assertThat(anonymous.get("/api/v1/namespaces/team-a/builds/proxied").statusCode()).isEqualTo(401);
    }

    @Test
    void aMappedClientCertificateIsAnIdentityOnTheGrpcDoor() throws Exception {
        new OsirisClient(port, OBSERVER).putJson("/api/v1/namespaces/team-a/builds/cert-1", "{\"phase\":\"Complete\"}");
        assertThat(OsirisGrpc.newBlockingStub(certified).listBuilds(ListBuildsRequest.getDefaultInstance())
                .getBuildsList()).anyMatch(b -> b.getName().equals("cert-1"));
        assertGrpcStatus(() -> GrpcCalls.putLog(certified, GrpcCalls.ref("team-a", "cert-1"),
                new ByteArrayInputStream("not allowed\n".getBytes())), Status.Code.PERMISSION_DENIED,
                "'ci-reader' may not create on osiris.io builds/log in namespace team-a");
        // the certificate's identity yields to a bearer token sent with it
        assertThat(OsirisGrpc.newBlockingStub(as(certified, OBSERVER)).listBuilds(ListBuildsRequest.newBuilder()
                .setNamespace("team-a").build()).getBuildsList()).isNotEmpty();
    }

    @Test
    void aChangedTokensFileTakesEffectWithoutARestartAndABrokenOneIsIgnored() throws Exception {
        OsirisClient old = new OsirisClient(port, OBSERVER);
        OsirisClient rotated = new OsirisClient(port, ROTATED);
        assertThat(old.get("/api/v1/namespaces/team-a/builds").statusCode()).isEqualTo(200);
        assertThat(rotated.get("/api/v1/namespaces/team-a/builds").statusCode()).isEqualTo(401);

        String before = Files.readString(tokens);
        try {
            write(entry("jenkins", ROTATED, "[team-a]", "[get, list]"));
            Await.value(Duration.ofSeconds(10),
                    () -> old.get("/api/v1/namespaces/team-a/builds").statusCode() == 401 ? true : null);
            assertThat(rotated.get("/api/v1/namespaces/team-a/builds").statusCode()).isEqualTo(200);
            assertForbidden(rotated.putJson("/api/v1/namespaces/team-a/builds/rot-1", "{\"phase\":\"Complete\"}"),
                    "'jenkins' may not create");

            write("tokens:\n  - name: broken\n    sha256: not-a-hash\n    namespaces: [team-a]\n    verbs: [get]\n");
            Thread.sleep(600); // three reload periods: the broken file was seen and refused
            assertThat(rotated.get("/api/v1/namespaces/team-a/builds").statusCode()).isEqualTo(200);
        } finally {
            write(before.substring("tokens:\n".length()));
        }
        Await.value(Duration.ofSeconds(10),
                () -> old.get("/api/v1/namespaces/team-a/builds").statusCode() == 200 ? true : null);
    }

    @Test
    void aFileTokenStillWorksWhileTheKubernetesApiIsAway() {
        kube.stop();
        try {
            assertThat(new OsirisClient(port, OBSERVER).get("/api/v1/namespaces/team-a/builds").statusCode())
                    .isEqualTo(200);
            assertThat(new OsirisClient(port, "token-somebody").get("/api/v1/namespaces/team-a/builds").statusCode())
                    .isEqualTo(503);
            // a request about one build asks which cluster its caller means first: the same 503, never a 401
            assertThat(new OsirisClient(port, "token-somebody").get("/api/v1/namespaces/team-a/builds/any")
                    .statusCode()).isEqualTo(503);
        } finally {
            kube.restart();
        }
    }

    private void write(String entries) throws IOException {
        Path next = tokens.resolveSibling("tokens.yaml.next");
        Files.writeString(next, entries.startsWith("tokens:") ? entries : "tokens:\n" + entries);
        Files.move(next, tokens, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String entry(String name, String token, String namespaces, String verbs) {
        return "  - name: " + name + "\n    sha256: " + sha256(token) + "\n    namespaces: " + namespaces
                + "\n    verbs: " + verbs + "\n";
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
