package io.osiris.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.osiris.buildlog.SpoolProperties;
import io.osiris.records.HomeCluster;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The home cluster's fabric8 client (from the in-cluster service account or kubeconfig, or a {@link Config} bean; it
 * connects on first use: access reviews and Leases), the registered clusters with their own clients and watcher
 * routes, and the election that {@code master:} routes use: Leases in the home cluster, or a file lock.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClustersProperties.class)
public class ClusterConfiguration {

    private static final String LEASES = "${osiris.cluster.lease-election:${osiris.cluster.enabled:false}}";

    /** Made on first use: with no Lease election and no Kubernetes tokens to review, never (it loads a lot). */
    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    KubernetesClient kubernetesClient(ObjectProvider<Config> config) {
        return new KubernetesClientBuilder().withConfig(homeConfig(config)).build();
    }

    private static Config homeConfig(ObjectProvider<Config> config) {
        return config.getIfAvailable(() -> Config.autoConfigure(null));
    }

    /** The cluster Osiris runs in, whether it watches it or not: requests that name no cluster mean it. */
    @Bean
    HomeCluster homeCluster(ClusterProperties properties) {
        return new HomeCluster(properties.name());
    }

    @Bean
    Clusters clusters(ClusterProperties properties, ObjectProvider<Config> config, WatcherMetrics metrics) {
        return new Clusters(properties, () -> homeConfig(config), metrics);
    }

    @Bean
    ClusterRegistrations clusterRegistrations(Clusters clusters, ClusterProperties home, ClustersProperties others,
                                              ClusterStore store, ClusterHealth health,
                                              ObjectProvider<CamelClusterService> election) {
        return new ClusterRegistrations(clusters, home, others, store, health, election);
    }

    /** Registrations made through the API: Secrets in the home cluster, or the encrypted files under ./data. */
    @Bean
    ClusterStore clusterStore(ClustersProperties properties, ClusterProperties home,
                              ObjectProvider<KubernetesClient> client, ObjectMapper json) {
        if (properties.store() == ClustersProperties.Store.secret) {
            KubernetesClient kubernetes = client.getObject();
            String namespace = !properties.secretNamespace().isEmpty() ? properties.secretNamespace()
                    : !home.leaseNamespace().isEmpty() ? home.leaseNamespace()
                    : kubernetes.getNamespace() != null ? kubernetes.getNamespace() : "default";
            return new SecretClusterStore(kubernetes, namespace, json);
        }
        Path keyFile = properties.keyFile().isEmpty() ? properties.directory().resolve("clusters.key")
                : Path.of(properties.keyFile());
        return new EncryptedFileClusterStore(properties.directory(), keyFile, json);
    }

    @Bean
    ClusterWatchers clusterWatchers(Clusters clusters, ClusterProperties properties) {
        return new ClusterWatchers(clusters, properties);
    }

    /** Health component {@code clusters}. */
    @Bean("clustersHealthContributor")
    ClusterHealth clusterHealth(Clusters clusters, ClusterProperties properties, MeterRegistry meters) {
        return new ClusterHealth(clusters, properties, meters);
    }

    @Bean
    @ConditionalOnExpression(LEASES)
    LeaseElection leaseElection(KubernetesClient client, ClusterProperties properties) {
        return new LeaseElection(client, properties);
    }

    /**
     * Without Leases the master component still needs a cluster service: a file lock in the spool folder elects
     * (one replica, or replicas sharing that folder).
     */
    @Bean
    @ConditionalOnExpression("!" + LEASES)
    FileLockClusterService standaloneClusterService(SpoolProperties spool) {
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(spool.directory().resolve("leader").toString());
        // a cluster registered at run time is watched within a second or two, not after the default 10 s
        service.setAcquireLockDelay(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(1, java.util.concurrent.TimeUnit.SECONDS);
        return service;
    }
}
