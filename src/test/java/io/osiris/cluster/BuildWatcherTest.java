package io.osiris.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.openshift.api.model.Build;
import io.fabric8.openshift.api.model.BuildBuilder;
import io.fabric8.openshift.client.OpenShiftClient;
import io.osiris.OsirisApplication;
import io.osiris.support.ClusterMock;
import io.osiris.support.Await;
import io.osiris.support.LogStreams;
import io.osiris.support.GrafanaDashboard;
import io.osiris.support.OsirisClient;
import io.osiris.support.PrometheusScrape;
import io.osiris.support.TestS3Server;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The built-in watcher against the fabric8 Kubernetes mock server, storing into a real S3 server. */
class BuildWatcherTest {

    @TempDir
    Path data;

    private ClusterMock cluster;
    private NamespacedKubernetesClient kube;
    private TestS3Server s3;
    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        cluster = new ClusterMock().start();
        kube = cluster.client();
        s3 = new TestS3Server(data.resolve("s3")).start();
    }

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(ConfigurableApplicationContext::close);
        kube.close();
        cluster.close();
        s3.close();
    }

    @Test
    void everyEndedBuildEndsWithItsLogStored() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=ci", "--osiris.cluster.follow-logs=false");
        for (String phase : new String[] {"Complete", "Failed", "Cancelled"}) {
            String name = "app-" + phase.toLowerCase();
            cluster.buildLog("ci", name, "log of " + name + "\n");
            create(build("ci", name, "Running"));
            setPhase("ci", name, phase);
        }

        for (String phase : new String[] {"Complete", "Failed", "Cancelled"}) {
            String name = "app-" + phase.toLowerCase();
            assertThat(await(() -> log(osiris, "ci", name))).isEqualTo("log of " + name + "\n");
            assertThat(record(osiris, "ci", name).path("phase").asText()).isEqualTo(phase);
        }
    }

    @Test
    void aBuildPodsContainersAreStoredInOrderInitContainersFirst() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.source=pods", "--osiris.cluster.namespaces=ci");
        cluster.podLog("ci", "app-1-build", "git-clone", "cloned\n");
        cluster.podLog("ci", "app-1-build", "manage-dockerfile", "dockerfile ok\n");
        cluster.podLog("ci", "app-1-build", "sti-build", "built\npushed\n");

        kube.pods().inNamespace("ci").resource(new PodBuilder()
                .withNewMetadata().withName("app-1-build").withNamespace("ci").withUid(UUID.randomUUID().toString())
                .addToLabels("openshift.io/build.name", "app-1").endMetadata()
                .withNewSpec().addNewInitContainer().withName("git-clone").endInitContainer()
                .addNewInitContainer().withName("manage-dockerfile").endInitContainer()
                .addNewContainer().withName("sti-build").endContainer().endSpec()
                .withNewStatus().withPhase("Succeeded").endStatus().build()).create();

        String log = await(() -> log(osiris, "ci", "app-1"));
        assertThat(log).isEqualTo("==> container git-clone <==\ncloned\n\n==> container manage-dockerfile <==\n"
                + "dockerfile ok\n\n==> container sti-build <==\nbuilt\npushed\n");
    }

    @Test
    void onlyTheWatchedNamespacesAreCaptured() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=team-a,team-b");
        for (String ns : new String[] {"team-a", "team-b", "team-c"}) {
            cluster.buildLog(ns, "b1", ns + "\n");
            create(build(ns, "b1", "Complete"));
        }

        assertThat(await(() -> log(osiris, "team-a", "b1"))).isEqualTo("team-a\n");
        assertThat(await(() -> log(osiris, "team-b", "b1"))).isEqualTo("team-b\n");
        assertThat(osiris.get("/api/v1/namespaces/team-c/builds/b1").statusCode()).isEqualTo(404);
    }

    @Test
    void buildsThatEndedWhileOsirisWasDownAreStoredOnceAfterItsRestart() throws Exception {
        OsirisClient first = replica("a", "--osiris.cluster.namespaces=ci");
        cluster.buildLog("ci", "early", "early\n");
        create(build("ci", "early", "Complete"));
        await(() -> log(first, "ci", "early"));
        replicas.remove(0).close();

        cluster.buildLog("ci", "while-down", "while down\n");
        create(build("ci", "while-down", "Complete"));

        OsirisClient restarted = replica("a", "--osiris.cluster.namespaces=ci");
        assertThat(await(() -> log(restarted, "ci", "while-down"))).isEqualTo("while down\n");
        Thread.sleep(2000); // replayed ADDED events and the start-up reconciliation have run
        assertThat(cluster.logRequests("ci", "early")).isEqualTo(1);
        assertThat(cluster.logRequests("ci", "while-down")).isEqualTo(1);
    }

    @Test
    void aClosedWatchLosesNoBuild() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=ci", "--osiris.cluster.follow-logs=false");
        cluster.buildLog("ci", "before", "before\n");
        create(build("ci", "before", "Complete"));
        await(() -> log(osiris, "ci", "before"));

        cluster.stop(); // every watch is closed by the server
        // the cluster that is away marks only itself: health names it UNREACHABLE, the service stays ready
        assertThat(await(() -> clusterStatus(osiris, "local").equals("UNREACHABLE") ? true : null)).isTrue();
        long asked = System.nanoTime();
        var health = osiris.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        assertThat(osiris.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(osiris.get("/probes/readiness").statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(3));
        assertThat(PrometheusScrape.of(osiris).value("osiris_cluster_reachable")).isZero();
        cluster.start();
        assertThat(await(() -> clusterStatus(osiris, "local").equals("UP") ? true : null)).isTrue();
        assertThat(PrometheusScrape.of(osiris).value("osiris_cluster_reachable")).isEqualTo(1);
        cluster.buildLog("ci", "after", "after\n");
        create(build("ci", "after", "Running"));
        setPhase("ci", "after", "Complete");

        assertThat(await(() -> log(osiris, "ci", "after"))).isEqualTo("after\n");
        PrometheusScrape metrics = PrometheusScrape.of(osiris);
        assertThat(metrics.value("osiris_watch_events_total", "kind=\"added\"")).isPositive();
        assertThat(metrics.value("osiris_watcher_leader")).isEqualTo(1);
        assertThat(GrafanaDashboard.metrics("osiris_watch")).hasSize(3)
                .allSatisfy(name -> assertThat(metrics.has(name)).as(name).isTrue());
        assertThat(GrafanaDashboard.metrics("osiris_cluster")).containsExactly("osiris_cluster_reachable")
                .allSatisfy(name -> assertThat(metrics.has(name)).as(name).isTrue());
    }

    @Test
    void aReplicaThatCannotRenewItsLeaseCompetesAgainAndWatchesOnceItWins() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=ci", "--osiris.cluster.follow-logs=false");
        await(() -> leaders() == 1 ? Boolean.TRUE : null);

        // every lease update conflicts (409, as when someone else wrote the Lease) for longer than the lease lasts
        cluster.fail(r -> r.getPath().contains("/leases/") && !"GET".equals(r.getMethod()), 409);
        await(() -> leaders() == 0 ? Boolean.TRUE : null);
        assertThat(PrometheusScrape.of(osiris).value("osiris_watcher_leader")).isZero();
        cluster.fail(null, 0);

        await(() -> leaders() == 1 ? Boolean.TRUE : null);
        cluster.buildLog("ci", "after-hiccup", "still watched\n");
        create(build("ci", "after-hiccup", "Complete"));
        assertThat(await(() -> log(osiris, "ci", "after-hiccup"))).isEqualTo("still watched\n");
        assertThat(PrometheusScrape.of(osiris).value("osiris_watcher_leader")).isEqualTo(1);
    }

    @Test
    void oneReplicaWatchesAndAnotherTakesOverWhenItDies() throws Exception {
        OsirisClient a = replica("a", "--osiris.cluster.namespaces=ci");
        OsirisClient b = replica("b", "--osiris.cluster.namespaces=ci");
        await(() -> leaders() == 1 ? Boolean.TRUE : null);
        int leader = isLeader(replicas.get(0)) ? 0 : 1;
        cluster.buildLog("ci", "first", "first\n");
        create(build("ci", "first", "Complete"));
        await(() -> log(a, "ci", "first"));
        assertThat(leaders()).isEqualTo(1);
        assertThat(PrometheusScrape.of(leader == 0 ? a : b).value("osiris_watcher_leader")).isEqualTo(1);
        assertThat(PrometheusScrape.of(leader == 0 ? b : a).value("osiris_watcher_leader")).isZero();

        replicas.remove(leader).close();
        kube.pods().inNamespace("osiris").withName(leader == 0 ? "replica-a" : "replica-b").delete();
        OsirisClient survivor = leader == 0 ? b : a;
        await(() -> isLeader(replicas.get(0)) ? Boolean.TRUE : null);
        cluster.buildLog("ci", "second", "second\n");
        create(build("ci", "second", "Complete"));

        assertThat(await(() -> log(survivor, "ci", "second"))).isEqualTo("second\n");
        assertThat(PrometheusScrape.of(survivor).value("osiris_watcher_leader")).isEqualTo(1);
        assertThat(cluster.logRequests("ci", "first")).isEqualTo(1);
    }

    @Test
    void aFollowedLogIsCompleteEvenWhenTheLateLogWasRotatedAndThePodIsGone() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=ci");
        long size = 110L * 1024 * 1024;
        byte[] whole = LogStreams.text(size, 4).readAllBytes();
        byte[] rotated = java.util.Arrays.copyOfRange(whole, whole.length - 50 * 1024 * 1024, whole.length);
        cluster.followedBuildLog("ci", "big", whole);
        cluster.buildLog("ci", "big", rotated); // what a fetch after the build gets: the current 50 MiB file

        create(build("ci", "big", "Running"));
        await(() -> cluster.logRequests("ci", "big") > 0 ? Boolean.TRUE : null);
        setPhase("ci", "big", "Complete");
        kube.adapt(OpenShiftClient.class).builds().inNamespace("ci").withName("big").delete();

        await(() -> record(osiris, "ci", "big").path("log").path("size").asLong() == size ? Boolean.TRUE : null);
        JsonNode log = record(osiris, "ci", "big").path("log");
        assertThat(log.path("sha256").asText()).isEqualTo(LogStreams.sha256(new ByteArrayInputStream(whole)));
        assertThat(log.has("incomplete")).isFalse();
    }

    @Test
    void aFollowThatBreaksOffIsFetchedAgainAtTheEndAndMarkedIncomplete() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=ci", "--osiris.cluster.follow-end-grace=1s");
        cluster.followedBuildLog("ci", "flaky", "first li".getBytes()); // the follow stream ends mid-build
        cluster.buildLog("ci", "flaky", "first line\nlast line\n");

        create(build("ci", "flaky", "Running"));
        assertThat(await(() -> log(osiris, "ci", "flaky"))).isEqualTo("first li");
        setPhase("ci", "flaky", "Failed");

        await(() -> "first line\nlast line\n".equals(log(osiris, "ci", "flaky")) ? Boolean.TRUE : null);
        assertThat(record(osiris, "ci", "flaky").path("log").path("incomplete").asBoolean()).isTrue();
    }

    @Test
    void aFollowWhoseBuildIsMarkedEndedAMomentAfterItsStreamEndedIsWhole() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=ci", "--osiris.cluster.follow-end-grace=20s");
        cluster.followedBuildLog("ci", "steady", "all of it\n".getBytes());
        cluster.buildLog("ci", "steady", "a fetch would give this\n");

        create(build("ci", "steady", "Running"));
        await(() -> cluster.logRequests("ci", "steady") > 0 ? Boolean.TRUE : null);
        Thread.sleep(1500); // the stream has ended; the cluster marks the build ended only now
        setPhase("ci", "steady", "Complete");

        assertThat(await(() -> log(osiris, "ci", "steady"))).isEqualTo("all of it\n");
        Thread.sleep(1000); // room for a wrong second fetch to happen
        assertThat(log(osiris, "ci", "steady")).isEqualTo("all of it\n");
        assertThat(record(osiris, "ci", "steady").path("log").has("incomplete")).isFalse();
        assertThat(cluster.logRequests("ci", "steady")).isEqualTo(1);
    }

    @Test
    void theValuesOfANamedSecretOfTheBuildsNamespaceAreMaskedInItsLog() throws Exception {
        kube.secrets().inNamespace("ci").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("deploy-creds").withNamespace("ci").endMetadata()
                .addToData("user", java.util.Base64.getEncoder().encodeToString("deployer".getBytes()))
                .addToData("pin", java.util.Base64.getEncoder().encodeToString("42".getBytes()))
                .build()).create();
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=ci,other",
                "--osiris.redaction.kubernetes-secrets=deploy-creds,not-there");
        cluster.buildLog("ci", "deploy", "logging in as deployer\nattempt 42\n");
        cluster.buildLog("other", "deploy", "logging in as deployer\n");
        create(build("ci", "deploy", "Complete"));
        create(build("other", "deploy", "Complete"));

        // short values (the pin) would mask half a log: only values of osiris.redaction.min-value-length count
        assertThat(await(() -> log(osiris, "ci", "deploy"))).isEqualTo("logging in as [MASKED]\nattempt 42\n");
        assertThat(record(osiris, "ci", "deploy").path("log").path("masked").path("secret/deploy-creds").asLong())
                .isEqualTo(1);
        // a Secret masks the logs of its own namespace only
        assertThat(await(() -> log(osiris, "other", "deploy"))).isEqualTo("logging in as deployer\n");
    }

    @Test
    void legacyModeClusterAndTheV1FetchTakeTheLogFromTheCluster() throws Exception {
        OsirisClient osiris = replica("a", "--osiris.cluster.namespaces=elsewhere");
        cluster.buildLog("ci", "legacy-1", "from the cluster\n");
        create(build("ci", "legacy-1", "Complete"));
        cluster.buildLog("ci", "v1-1", "fetched on request\n");
        create(build("ci", "v1-1", "Complete"));

        HttpResponse<String> legacy = osiris.putJson("/build/completed/legacy-1?mode=cluster",
                json.writeValueAsString(kube.adapt(OpenShiftClient.class).builds().inNamespace("ci")
                        .withName("legacy-1").get()));
        HttpResponse<String> v1 = osiris.send(java.net.http.HttpRequest.newBuilder(
                osiris.uri("/api/v1/namespaces/ci/builds/v1-1/log/fetch"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(202);
        assertThat(json.readTree(osiris.get("/build/logs/legacy-1").body()).path("data").path("payload")
                .path("data").asText()).isEqualTo("from the cluster\n");
        assertThat(v1.statusCode()).as(v1.body()).isEqualTo(200);
        assertThat(json.readTree(v1.body()).path("size").asLong()).isEqualTo(19);
        assertThat(log(osiris, "ci", "v1-1")).isEqualTo("fetched on request\n");
        assertThat(osiris.send(java.net.http.HttpRequest.newBuilder(
                osiris.uri("/api/v1/namespaces/ci/builds/not-there/log/fetch"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(404);
    }

    /** A replica of Osiris; like in a cluster, its own pod exists in Osiris' namespace. */
    private String clusterStatus(OsirisClient osiris, String name) {
        try {
            return json.readTree(osiris.get("/actuator/health").body()).path("components").path("clusters")
                    .path("components").path(name).path("status").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private OsirisClient replica(String name, String... settings) {
        if (kube.pods().inNamespace("osiris").withName("replica-" + name).get() == null) {
            kube.pods().inNamespace("osiris").resource(new PodBuilder().withNewMetadata().withName("replica-" + name)
                    .withNamespace("osiris").addToLabels("app", "osiris").endMetadata()
                    .withNewSpec().addNewContainer().withName("osiris").endContainer().endSpec()
                    .withNewStatus().withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .addNewContainerStatus().withName("osiris").withReady(true).withNewState().withNewRunning()
                    .endRunning().endState().endContainerStatus()
                    .endStatus().build()).create();
        }
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + data.resolve("spool-" + name + "-" + replicas.size()),
                "--osiris.cluster.enabled=true",
                "--osiris.cluster.lease-namespace=osiris",
                "--osiris.cluster.pod-name=replica-" + name,
                "--osiris.cluster.lease-duration=3s",
                "--osiris.cluster.reconcile-interval=1h",
                "--osiris.cluster.probe-interval=500ms",
                // replicas share one build database, as they share the bucket
                "--osiris.test.database=w" + Integer.toHexString(data.hashCode() & 0x7fffffff)));
        args.addAll(List.of(settings));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(OsirisApplication.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("kubernetesConfig",
                        cluster.client().getConfiguration()))
                .run(args.toArray(String[]::new));
        replicas.add(context);
        return new OsirisClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private int leaders() {
        return (int) replicas.stream().filter(BuildWatcherTest::isLeader).count();
    }

    private static boolean isLeader(ConfigurableApplicationContext replica) {
        try {
            CamelClusterService service = replica.getBean(CamelContext.class).hasService(CamelClusterService.class);
            return service != null && service.isLeader("osiris-watcher");
        } catch (Exception e) {
            return false;
        }
    }

    private static Build build(String namespace, String name, String phase) {
        return new BuildBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewStatus().withPhase(phase).withStartTimestamp("2026-11-29T10:00:00Z").endStatus().build();
    }

    private void create(Build build) {
        kube.adapt(OpenShiftClient.class).builds().inNamespace(build.getMetadata().getNamespace()).resource(build)
                .create();
    }

    private void setPhase(String namespace, String name, String phase) {
        kube.adapt(OpenShiftClient.class).builds().inNamespace(namespace).withName(name).edit(b -> {
            b.getStatus().setPhase(phase);
            b.getStatus().setCompletionTimestamp("2026-11-29T10:05:00Z");
            return b;
        });
    }

    private static String log(OsirisClient osiris, String namespace, String name) {
        HttpResponse<String> response = osiris.get("/api/v1/namespaces/" + namespace + "/builds/" + name + "/log");
        return response.statusCode() == 200 ? response.body() : null;
    }

    private JsonNode record(OsirisClient osiris, String namespace, String name) {
        try {
            return json.readTree(osiris.get("/api/v1/namespaces/" + namespace + "/builds/" + name).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(Supplier<T> probe) throws InterruptedException {
        return Await.value(Duration.ofSeconds(40), probe);
    }
}
