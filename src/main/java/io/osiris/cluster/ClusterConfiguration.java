package io.osiris.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.osiris.buildlog.SpoolProperties;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The fabric8 client (from the in-cluster service account or kubeconfig, or a {@link Config} bean; it connects on
 * first use) and, with the watcher on, the Lease election ({@link LeaseElection}) that {@code master:} routes use to
 * elect one watching replica.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    /** Made on first use: with the watcher off and no Kubernetes tokens to review, never (it loads a lot). */
    @Bean(destroyMethod = "close")
    @Lazy
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
    LeaseElection leaseElection(KubernetesClient client, ClusterProperties properties) {
        return new LeaseElection(client, properties);
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
