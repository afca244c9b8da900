package io.osiris.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness of the watcher: with it on, the Kubernetes API must answer. */
@Component("cluster")
public class ClusterHealth implements HealthIndicator {

    private final KubernetesClient client;
    private final ClusterProperties properties;

    public ClusterHealth(KubernetesClient client, ClusterProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    public Health health() {
        if (!properties.enabled()) {
            return Health.up().withDetail("watcher", "disabled").build();
        }
        try {
            return Health.up().withDetail("kubernetes", String.valueOf(client.getKubernetesVersion().getGitVersion()))
                    .build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
    }
}
