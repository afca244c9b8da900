package io.osiris.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.osiris.cluster.WatcherMetrics;
import io.osiris.support.Await;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A watch that the API server keeps closing is opened again by fabric8, and each reopening is counted. */
class WatchReconnectsTest {

    private final KubernetesMockServer server = new KubernetesMockServer(false);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server.start();
        server.expect().get().withPath("/api/v1/namespaces/ci/pods?resourceVersion=0")
                .andReturn(200, new PodListBuilder().withNewMetadata().withResourceVersion("1").endMetadata().build())
                .always();
        // every watch is accepted, then closed by the server at once
        server.expect().get().withPath("/api/v1/namespaces/ci/pods?allowWatchBookmarks=true&resourceVersion=1"
                        + "&timeoutSeconds=600&watch=true")
                .andUpgradeToWebSocket().open().done().always();
        client = ClusterClients.client(server.createClient().getConfiguration(),
                new WatchReconnects(new WatcherMetrics(registry), "local"));
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void everyWatchOpenedAgainIsCounted() throws Exception {
        try (SharedIndexInformer<Pod> informer = client.pods().inNamespace("ci")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                    }

                    @Override
                    public void onUpdate(Pod before, Pod after) {
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                    }
                })) {
            double reconnects = Await.value(Duration.ofSeconds(20), () -> {
                double count = registry.counter("osiris.watch.reconnects", "cluster", "local", "resource", "pods").count();
                return count >= 2 ? count : null;
            });
            assertThat(reconnects).isGreaterThanOrEqualTo(2);
            assertThat(informer.isRunning()).isTrue();
        }
    }
}
