package io.osiris.bench;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.osiris.support.ClusterMockServer;
import io.osiris.support.DevCertificates;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The fabric8 mock cluster in a process of its own ({@link ClusterMockServer}): builds are created through its API,
 * their logs are files sent by a log front ({@link io.osiris.support.ClusterLogFront}), so a 1 GiB pull measures
 * Osiris and not a log server that copies the log or shares the harness's JVM.
 */
final class RemoteCluster implements AutoCloseable {

    private final Process process;
    private final Path logs;
    private final int port;

    RemoteCluster(Path work) throws Exception {
        logs = Files.createDirectories(work.resolve("cluster-logs"));
        port = DevCertificates.freePort();
        process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), ClusterMockServer.class.getName(),
                Integer.toString(port), logs.toString())).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        for (String line = out.readLine(); !line.startsWith("ready"); line = out.readLine()) {
            if (line == null) {
                throw new IllegalStateException("the cluster mock did not start");
            }
        }
        Thread drain = new Thread(() -> out.lines().forEach(line -> { }), "cluster-mock-output");
        drain.setDaemon(true);
        drain.start();
    }

    int port() {
        return port;
    }

    NamespacedKubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + port)
                .withNamespace("test").withTrustCerts(true).build()).build().adapt(NamespacedKubernetesClient.class);
    }

    /**
     * Reads the build's log as a plain HTTP/1.1 client and returns the rate in MiB/s: the log server's own limit,
     * printed next to the pull (the first read also brings the file into the page cache).
     */
    double serve(String namespace, String build) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/apis/build.openshift.io/v1/namespaces/" + namespace + "/builds/" + build + "/log")).build();
        long start = System.nanoTime();
        long bytes = 0;
        try (InputStream in = http.send(get, HttpResponse.BodyHandlers.ofInputStream()).body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes += n;
            }
        }
        return bytes / 1048576.0 / ((System.nanoTime() - start) / 1e9);
    }

    /** The log the cluster serves for {@code namespace/build} from now on: a copy of {@code file}. */
    void buildLog(String namespace, String build, Path file) throws Exception {
        publish(namespace, build, partial -> Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING));
    }

    void buildLog(String namespace, String build, byte[] log) throws Exception {
        publish(namespace, build, partial -> Files.write(partial, log));
    }

    private interface Writer {
        void write(Path partial) throws Exception;
    }

    /** Written beside its place and moved there whole: the log front serves it from then on. */
    private void publish(String namespace, String build, Writer writer) throws Exception {
        Path target = Files.createDirectories(logs.resolve("build").resolve(namespace)).resolve(build);
        Path partial = target.resolveSibling(build + ".partial");
        writer.write(partial);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
