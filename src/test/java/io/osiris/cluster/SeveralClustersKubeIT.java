package io.osiris.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.OsirisApplication;
import io.osiris.support.Await;
import io.osiris.support.KubeApiServer;
import io.osiris.support.OsirisClient;
import io.osiris.support.PrometheusScrape;
import io.osiris.support.TestS3Server;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One Osiris, several clusters, against two real kube-apiservers (with the fake kubelet that serves pod logs):
 * cluster {@code a} is the home cluster (it also holds the Leases), {@code b} runs real RBAC and is reached with the
 * token of a user that holds exactly the README's watcher permissions for source {@code pods} in its namespaces;
 * {@code b} is registered by configuration with a token file and its CA, further registrations come through the
 * API at run time.
 */
class SeveralClustersKubeIT {

    /** A user of cluster b that may only read pods and their logs in namespaces ci and late. */
    private static final String WATCHER_TOKEN = "token-watcher";

    @TempDir
    static Path servers;
    private static KubeApiServer a;
    private static KubeApiServer b;

    @TempDir
    Path data;
    private TestS3Server s3;
    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startClusters() throws Exception {
        a = KubeApiServer.start(servers.resolve("a"));
        b = KubeApiServer.start(servers.resolve("b"), Map.of("AUTHZ_MODE", "RBAC",
                "EXTRA_TOKENS", WATCHER_TOKEN + ",watcher,uid-watcher"));
        for (KubeApiServer cluster : List.of(a, b)) {
            cluster.namespace("ci");
            cluster.namespace("late");
        }
        try (var admin = b.client()) {
            for (String namespace : List.of("ci", "late")) {
                // the README's watcher table, source pods: nothing more
                admin.rbac().roles().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.rbac
                        .RoleBuilder().withNewMetadata().withName("osiris-watcher").endMetadata()
                        .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list", "watch").endRule()
                        .addNewRule().withApiGroups("").withResources("pods/log").withVerbs("get").endRule().build())
                        .create();
                admin.rbac().roleBindings().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.rbac
                        .RoleBindingBuilder().withNewMetadata().withName("osiris-watcher").endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                        .withName("osiris-watcher").endRoleRef()
                        .addNewSubject().withKind("User").withName("watcher").endSubject().build()).create();
            }
        }
    }

    @AfterAll
    static void stopClusters() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        s3 = new TestS3Server(data.resolve("s3")).start();
    }

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(ConfigurableApplicationContext::close);
        s3.close();
    }

    @Test
    void buildsOfTheSameNamespaceAndNameInTwoClustersAreStoredApartAndBothComplete() throws Exception {
        a.endedBuild("ci", "same", "built in a\n", "Succeeded");
        b.endedBuild("ci", "same", "built in b\n", "Failed");
        OsirisClient osiris = replica("r1", withClusterB());

        assertThat(await(() -> log(osiris, "a", "ci", "same"))).endsWith("built in a\n");
        assertThat(await(() -> log(osiris, "b", "ci", "same"))).endsWith("built in b\n");
        assertThat(record(osiris, "a", "ci", "same").path("phase").asText()).isEqualTo("Complete");
        assertThat(record(osiris, "b", "ci", "same").path("phase").asText()).isEqualTo("Failed");
        assertThat(record(osiris, "b", "ci", "same").path("uid").asText())
                .isEqualTo(b.pod("ci", "same").getMetadata().getUid());

        JsonNode list = json.readTree(osiris.get("/api/v1/namespaces/ci/builds?namePrefix=same").body());
        assertThat(list.path("items").findValuesAsText("cluster")).containsExactlyInAnyOrder("a", "b");
        JsonNode onlyB = json.readTree(osiris.get("/api/v1/builds?cluster=b&namePrefix=same").body());
        assertThat(onlyB.path("items").findValuesAsText("cluster")).containsExactly("b");
        List<String> keys = s3.client().listObjectsV2(r -> r.bucket("osiris-build-logs").prefix("builds/"))
                .contents().stream().map(o -> o.key()).filter(k -> k.contains("/same/"))
                .filter(k -> k.endsWith("/build.json") || k.endsWith("/log.gz")).toList();
        assertThat(keys).hasSize(4).anyMatch(k -> k.startsWith("builds/a/ci/same/"))
                .anyMatch(k -> k.startsWith("builds/b/ci/same/"));
    }

    @Test
    void whileOneClusterIsAwayTheOtherIsStillCapturedAndTheAbsentOneCatchesUpWhenBack() throws Exception {
        OsirisClient osiris = replica("r1", withClusterB("--osiris.cluster.probe-interval=500ms"));
        assertThat(await(() -> "UP".equals(clusterStatus(osiris, "b")) ? true : null)).isTrue();

        b.stopApi();
        try {
            a.endedBuild("ci", "while-b-away", "a keeps going\n", "Succeeded");
            assertThat(await(() -> log(osiris, "a", "ci", "while-b-away"))).endsWith("a keeps going\n");
            assertThat(await(() -> "UNREACHABLE".equals(clusterStatus(osiris, "b")) ? true : null)).isTrue();
            assertThat(clusterStatus(osiris, "a")).isEqualTo("UP");
            assertThat(osiris.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(PrometheusScrape.of(osiris).value("osiris_cluster_reachable", "cluster=\"b\"")).isZero();
            assertThat(PrometheusScrape.of(osiris).value("osiris_cluster_reachable", "cluster=\"a\"")).isEqualTo(1);
        } finally {
            b.startApi();
        }
        b.endedBuild("ci", "after-b-returned", "b is back\n", "Succeeded");
        assertThat(await(() -> log(osiris, "b", "ci", "after-b-returned"))).endsWith("b is back\n");
        assertThat(await(() -> "UP".equals(clusterStatus(osiris, "b")) ? true : null)).isTrue();
    }

    @Test
    void aClusterRegisteredAtRunTimeIsCapturedWithinSecondsAndItsCredentialsAreNeverShown() throws Exception {
        OsirisClient osiris = replica("r1");
        b.endedBuild("late", "late-1", "registered late\n", "Succeeded");

        String registration = json.writeValueAsString(Map.of("apiUrl", b.url(), "caCert", b.caPem(),
                "token", WATCHER_TOKEN, "source", "pods", "namespaces", List.of("late")));
        long registered = System.nanoTime();
        HttpResponse<String> put = osiris.putJson("/api/v1/clusters/c", registration);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(await(() -> log(osiris, "c", "late", "late-1"))).endsWith("registered late\n");
        System.out.printf("cluster registered at run time: first log stored after %.1f s%n",
                (System.nanoTime() - registered) / 1e9);
        assertThat(Duration.ofNanos(System.nanoTime() - registered)).isLessThan(Duration.ofSeconds(30));

        JsonNode clusters = json.readTree(osiris.get("/api/v1/clusters").body());
        assertThat(clusters.path("items").findValuesAsText("name")).containsExactly("a", "c");
        assertThat(json.readTree(put.body()).path("credentials").asText()).isEqualTo("token");
        for (String body : List.of(put.body(), osiris.get("/api/v1/clusters").body(),
                osiris.get("/api/v1/clusters/c").body())) {
            assertThat(body).doesNotContain(WATCHER_TOKEN).doesNotContain("BEGIN CERTIFICATE");
        }
        Path stored = data.resolve("clusters/c.cluster");
        assertThat(stored).exists();
        assertThat(new String(Files.readAllBytes(stored), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(WATCHER_TOKEN).doesNotContain(b.url());

        // a changed registration takes effect at once: one more namespace watched
        b.endedBuild("ci", "seen-after-change", "now watched too\n", "Succeeded");
        String changed = json.writeValueAsString(Map.of("apiUrl", b.url(), "caCert", b.caPem(),
                "token", WATCHER_TOKEN, "source", "pods", "namespaces", List.of("late", "ci")));
        assertThat(osiris.putJson("/api/v1/clusters/c", changed).statusCode()).isEqualTo(200);
        assertThat(json.readTree(osiris.get("/api/v1/clusters/c").body()).path("namespaces").size()).isEqualTo(2);
        assertThat(await(() -> log(osiris, "c", "ci", "seen-after-change"))).endsWith("now watched too\n");

        // kept across a restart
        replicas.remove(0).close();
        OsirisClient again = replica("r2", "--osiris.clusters.max=2");
        assertThat(again.get("/api/v1/clusters/c").statusCode()).isEqualTo(200);

        // bad registrations: clear 400s, nothing registered
        assertThat(again.putJson("/api/v1/clusters/d", "{\"apiUrl\":\"" + b.url() + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(again.putJson("/api/v1/clusters/Bad_Name", registration).statusCode()).isEqualTo(400);
        HttpResponse<String> notPem = again.putJson("/api/v1/clusters/d", json.writeValueAsString(Map.of(
                "apiUrl", b.url(), "caCert", "not a certificate", "token", WATCHER_TOKEN)));
        assertThat(notPem.statusCode()).isEqualTo(400);
        assertThat(json.readTree(notPem.body()).path("field").asText()).isEqualTo("caCert");
        assertThat(again.putJson("/api/v1/clusters/a", registration).statusCode()).isEqualTo(409);
        HttpResponse<String> tooMany = again.putJson("/api/v1/clusters/d", registration);
        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(tooMany.body()).contains("at most 2 clusters");
        assertThat(again.get("/api/v1/clusters/d").statusCode()).isEqualTo(404);

        // removed: no longer watched, its builds stay
        assertThat(again.delete("/api/v1/clusters/c").statusCode()).isEqualTo(204);
        assertThat(stored).doesNotExist();
        // its Lease is given up, not held on for a cluster nobody watches
        assertThat(await(() -> {
            try (var admin = a.client()) {
                var lease = admin.leases().inNamespace("default").withName("osiris-watcher-c").get();
                String holder = lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
                return holder == null || holder.isEmpty() ? true : null;
            }
        })).isTrue();
        b.endedBuild("late", "late-2", "not watched any more\n", "Succeeded");
        Thread.sleep(3000);
        assertThat(again.get("/api/v1/namespaces/late/builds/late-2?cluster=c").statusCode()).isEqualTo(404);
        assertThat(log(again, "c", "late", "late-1")).endsWith("registered late\n");
    }

    @Test
    void twoReplicasSplitTheClustersLeasesAndOneTakesOverWhenTheOtherDies() throws Exception {
        OsirisClient r1 = replica("r1", withClusterB());
        OsirisClient r2 = replica("r2", withClusterB());
        // each replica watches one of the two clusters
        assertThat(await(() -> watchedHere(r1).size() == 1 && watchedHere(r2).size() == 1
                && !watchedHere(r1).equals(watchedHere(r2)) ? true : null)).isTrue();
        System.out.printf("leases split: r1 watches %s, r2 watches %s%n", watchedHere(r1), watchedHere(r2));
        a.endedBuild("ci", "split-a", "from a\n", "Succeeded");
        b.endedBuild("ci", "split-b", "from b\n", "Succeeded");
        assertThat(await(() -> log(r1, "a", "ci", "split-a"))).endsWith("from a\n");
        assertThat(await(() -> log(r2, "b", "ci", "split-b"))).endsWith("from b\n");

        boolean r1WatchedB = watchedHere(r1).contains("b");
        replicas.remove(r1WatchedB ? 0 : 1).close();
        OsirisClient survivor = r1WatchedB ? r2 : r1;
        long died = System.nanoTime();
        assertThat(await(() -> watchedHere(survivor).size() == 2 ? true : null)).isTrue();
        System.out.printf("the survivor holds both leases %.1f s after the other replica stopped%n",
                (System.nanoTime() - died) / 1e9);
        b.endedBuild("ci", "after-takeover", "taken over\n", "Succeeded");
        assertThat(await(() -> log(survivor, "b", "ci", "after-takeover"))).endsWith("taken over\n");
    }

    @Test
    void registrationsKeptInSecretsReachEveryReplica() throws Exception {
        OsirisClient r1 = replica("r1", "--osiris.clusters.store=secret");
        OsirisClient r2 = replica("r2", "--osiris.clusters.store=secret");
        String registration = json.writeValueAsString(Map.of("apiUrl", b.url(), "caCert", b.caPem(),
                "token", WATCHER_TOKEN, "source", "pods", "namespaces", List.of("late")));
        assertThat(r1.putJson("/api/v1/clusters/shared", registration).statusCode()).isEqualTo(200);
        // the other replica learns of it from the Secret, without a restart
        assertThat(await(() -> r2.get("/api/v1/clusters/shared").statusCode() == 200 ? true : null)).isTrue();
        try (var admin = a.client()) {
            var secret = admin.secrets().inNamespace("default").withName("osiris-cluster-shared").get();
            assertThat(secret).isNotNull();
            assertThat(secret.getMetadata().getLabels()).containsEntry(SecretClusterStore.LABEL, "shared");
            assertThat(admin.configMaps().inNamespace("default").list().getItems())
                    .noneMatch(c -> String.valueOf(c.getData()).contains(WATCHER_TOKEN));
        }
        b.endedBuild("late", "shared-1", "seen through the secret\n", "Succeeded");
        assertThat(await(() -> log(r2, "shared", "late", "shared-1"))).endsWith("seen through the secret\n");

        assertThat(r2.delete("/api/v1/clusters/shared").statusCode()).isEqualTo(204);
        assertThat(await(() -> r1.get("/api/v1/clusters/shared").statusCode() == 404 ? true : null)).isTrue();
        try (var admin = a.client()) {
            assertThat(admin.secrets().inNamespace("default").withName("osiris-cluster-shared").get()).isNull();
        }
    }

    private List<String> watchedHere(OsirisClient osiris) {
        try {
            List<String> names = new ArrayList<>();
            for (JsonNode cluster : json.readTree(osiris.get("/api/v1/clusters").body()).path("items")) {
                if (cluster.path("watchedHere").asBoolean()) {
                    names.add(cluster.path("name").asText());
                }
            }
            return names;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings that register cluster b by configuration, and {@code more}. */
    private String[] withClusterB(String... more) throws Exception {
        Path token = data.resolve("b-token");
        Files.writeString(token, WATCHER_TOKEN + "\n");
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(
                "--osiris.clusters.registrations[0].name=b",
                "--osiris.clusters.registrations[0].api-url=" + b.url(),
                "--osiris.clusters.registrations[0].ca-file=" + b.caFile(),
                "--osiris.clusters.registrations[0].token-file=" + token,
                "--osiris.clusters.registrations[0].source=pods",
                "--osiris.clusters.registrations[0].namespaces=ci"), java.util.stream.Stream.of(more))
                .toArray(String[]::new);
    }

    private OsirisClient replica(String name, String... settings) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + data.resolve("spool-" + name),
                "--osiris.clusters.directory=" + data.resolve("clusters"),
                "--osiris.cluster.name=a",
                "--osiris.cluster.enabled=true",
                "--osiris.cluster.source=pods",
                "--osiris.cluster.namespaces=ci",
                "--osiris.cluster.lease-namespace=default",
                "--osiris.cluster.pod-name=" + name,
                "--osiris.cluster.lease-duration=3s",
                "--osiris.cluster.reconcile-interval=1h",
                "--osiris.test.database=w" + Integer.toHexString(data.hashCode() & 0x7fffffff)));
        args.addAll(List.of(settings));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OsirisApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("kubernetesConfig", a.config()))
                .run(args.toArray(String[]::new));
        replicas.add(context);
        return new OsirisClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private String clusterStatus(OsirisClient osiris, String cluster) {
        try {
            return json.readTree(osiris.get("/api/v1/clusters/" + cluster).body()).path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String log(OsirisClient osiris, String cluster, String namespace, String name) {
        HttpResponse<String> response = osiris.get("/api/v1/namespaces/" + namespace + "/builds/" + name
                + "/log?cluster=" + cluster);
        return response.statusCode() == 200 ? response.body() : null;
    }

    private JsonNode record(OsirisClient osiris, String cluster, String namespace, String name) throws Exception {
        return json.readTree(osiris.get("/api/v1/namespaces/" + namespace + "/builds/" + name + "?cluster="
                + cluster).body());
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        return Await.value(Duration.ofSeconds(60), probe);
    }
}
