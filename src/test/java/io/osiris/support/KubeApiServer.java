package io.osiris.support;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver (on its own etcd) with the fake kubelet of ../shared/tools/kube-apiserver: pods/log works
 * for pods scheduled on node {@code n1}, whose containers' logs are files under {@code DIR/logs}. The API server
 * process can be stopped and started again on the same port, with the same state, as a cluster that goes away.
 */
public final class KubeApiServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "devtoken";

    private final Path dir;
    private final Path tool;
    private final String url;
    private List<String> command;

    private KubeApiServer(Path dir, Path tool, String url) {
        this.dir = dir;
        this.tool = tool;
        this.url = url;
    }

    /** Starts one in {@code dir} (AlwaysAllow: devtoken and every static token may do everything). */
    public static KubeApiServer start(Path dir) throws Exception {
        return start(dir, java.util.Map.of());
    }

    /**
     * Starts one in {@code dir} with the tool's settings in {@code environment}: {@code AUTHZ_MODE=RBAC} for real
     * RBAC (devtoken stays an admin), {@code EXTRA_TOKENS} for more users.
     */
    public static KubeApiServer start(Path dir, java.util.Map<String, String> environment) throws Exception {
        Path tool = Path.of(System.getenv().getOrDefault("OSIRIS_KUBE_TOOL",
                Path.of("").toAbsolutePath().getParent().resolve("shared/tools/kube-apiserver").toString()));
        ProcessBuilder builder = new ProcessBuilder("bash", tool.resolve("start.sh").toString(), dir.toString())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process start = builder.start();
        String output = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!start.waitFor(120, TimeUnit.SECONDS) || start.exitValue() != 0) {
            throw new IllegalStateException("kube-apiserver did not start (scripts/kube-dev.sh start builds it): "
                    + output);
        }
        String url = output.substring(output.lastIndexOf('\n') + 1);
        KubeApiServer server = new KubeApiServer(dir, tool, url);
        server.prepareNode();
        return server;
    }

    public String url() {
        return url;
    }

    /** The PEM of the API server's self-made CA (certs/apiserver.crt holds the certificate and its CA). */
    public String caPem() throws IOException {
        return Files.readString(dir.resolve("certs/apiserver.crt"));
    }

    public Path caFile() {
        return dir.resolve("certs/apiserver.crt");
    }

    public Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url).withOauthToken(ADMIN_TOKEN).withTrustCerts(true)
                .withNamespace("default").build();
    }

    public KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(config()).build();
    }

    private void prepareNode() throws IOException {
        int kubeletPort = Integer.parseInt(Files.readString(dir.resolve("kubelet.port")).strip());
        try (KubernetesClient client = client()) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
                    .create();
            client.nodes().withName("n1").editStatus(node -> new NodeBuilder(node).editOrNewStatus()
                    .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                    .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint()
                    .endDaemonEndpoints().endStatus().build());
        }
    }

    public void namespace(String name) {
        try (KubernetesClient client = client()) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                    .build()).serverSideApply();
        }
    }

    /**
     * A build pod (label openshift.io/build.name) on node n1 that has run and ended with {@code phase}: its
     * container's log is {@code log}, complete.
     */
    public void endedBuild(String namespace, String build, String log, String phase) throws IOException {
        String pod = build + "-build";
        Path logs = dir.resolve("logs").resolve(namespace).resolve(pod);
        Files.createDirectories(logs);
        Files.writeString(logs.resolve("build.log"), log);
        Files.writeString(logs.resolve("build.done"), "");
        try (KubernetesClient client = client()) {
            client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(pod)
                    .withNamespace(namespace).addToLabels("openshift.io/build.name", build).endMetadata()
                    .withNewSpec().withNodeName("n1").addNewContainer().withName("build").withImage("builder")
                    .endContainer().endSpec().build()).create();
            client.pods().inNamespace(namespace).withName(pod).editStatus(p -> new PodBuilder(p).editOrNewStatus()
                    .withPhase(phase).withStartTime(java.time.Instant.now().toString()).endStatus().build());
        }
    }

    public Pod pod(String namespace, String build) {
        try (KubernetesClient client = client()) {
            return client.pods().inNamespace(namespace).withName(build + "-build").get();
        }
    }

    /** The API server goes away (its etcd and kubelet stay): connections are refused until {@link #startApi()}. */
    public void stopApi() throws Exception {
        long pid = Long.parseLong(Files.readString(dir.resolve("apiserver.pid")).strip());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        command = new ArrayList<>(List.of(process.info().command().orElseThrow()));
        command.addAll(List.of(process.info().arguments().orElseThrow()));
        process.destroy();
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /** The API server comes back on the same port with the same state. */
    public void startApi() throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("apiserver.log").toFile())).start();
        Files.writeString(dir.resolve("apiserver.pid"), Long.toString(process.pid()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (KubernetesClient client = client()) {
                client.namespaces().list();
                return;
            } catch (RuntimeException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("kube-apiserver did not come back");
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("bash", tool.resolve("stop.sh").toString(), dir.toString()).inheritIO().start()
                .waitFor(30, TimeUnit.SECONDS);
    }
}
