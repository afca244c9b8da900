package io.osiris.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.osiris.buildlog.SpoolProperties;
import io.osiris.observability.WatcherMetrics;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The fabric8 client (from the in-cluster service account or kubeconfig, or a {@link Config} bean; it connects on
 * first use) and, with the
 * watcher on, the Lease-based cluster service that {@code master:} routes use to elect one watching replica.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    KubernetesClient kubernetesClient(ObjectProvider<Config> config, WatcherMetrics metrics) {
        WatchReconnects reconnects = new WatchReconnects(metrics);
        return new KubernetesClientBuilder()
                .withConfig(config.getIfAvailable(() -> Config.autoConfigure(null)))
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("osiris-watch-reconnects",
                        reconnects))
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "osiris.cluster.enabled", havingValue = "true")
    KubernetesClusterService kubernetesClusterService(KubernetesClient client, ClusterProperties properties) {
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setKubernetesClient(client);
        KubernetesClusterService service = new KubernetesClusterService(configuration);
        service.setKubernetesResourceName(properties.leaseName());
        if (!properties.leaseNamespace().isEmpty()) {
            service.setKubernetesResourcesNamespace(properties.leaseNamespace());
        }
        if (!properties.podName().isEmpty()) {
            service.setPodName(properties.podName());
        }
        long lease = properties.leaseDuration().toMillis();
        service.setLeaseDurationMillis(lease);
        service.setRenewDeadlineMillis(lease * 2 / 3);
        service.setRetryPeriodMillis(Math.max(200, lease / 7));
        return service;
    }

    /**
     * With the watcher off its master: routes never start, but the master component still needs a cluster service
     * to exist: a file lock in the spool folder stands in.
     */
    @Bean
    @ConditionalOnProperty(name = "osiris.cluster.enabled", havingValue = "false", matchIfMissing = true)
    FileLockClusterService standaloneClusterService(SpoolProperties spool) {
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(spool.directory().resolve("leader").toString());
        return service;
    }
}
