package io.osiris.cluster;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the watcher: with it on, the Kubernetes API must answer. Asked through a client of its own that
 * neither retries nor waits long, so a probe answers within its timeout while the API is away.
 */
@Component("cluster")
public class ClusterHealth implements HealthIndicator, DisposableBean {

    private static final int TIMEOUT_MILLIS = 3000;

    private final KubernetesClient probe;
    private final ClusterProperties properties;

    public ClusterHealth(ObjectProvider<KubernetesClient> client, ClusterProperties properties) {
        this.properties = properties;
        // with the watcher off no client is made at all
        this.probe = !properties.enabled() ? null : new KubernetesClientBuilder().withConfig(
                new ConfigBuilder(client.getObject().getConfiguration())
                        .withRequestRetryBackoffLimit(0)
                        .withConnectionTimeout(TIMEOUT_MILLIS)
                        .withRequestTimeout(TIMEOUT_MILLIS)
                        .build()).build();
    }

    @Override
    public Health health() {
        if (probe == null) {
            return Health.up().withDetail("watcher", "disabled").build();
        }
        try {
            return Health.up().withDetail("kubernetes", String.valueOf(probe.getKubernetesVersion().getGitVersion()))
                    .build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }

    @Override
    public void destroy() {
        if (probe != null) {
            probe.close();
        }
    }
}
