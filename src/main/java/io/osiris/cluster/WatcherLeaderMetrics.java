package io.osiris.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.cluster.CamelClusterService;
import org.springframework.stereotype.Component;

/**
 * {@code osiris_watcher_leader{cluster}}: 1 while this replica holds the cluster's watcher lease and so watches it.
 * One series per registered cluster, from its registration until it goes.
 */
@Component
public class WatcherLeaderMetrics implements Clusters.Listener {

    private final CamelClusterService election;
    private final ClusterProperties properties;
    private final MeterRegistry registry;
    private final Map<String, Meter> gauges = new ConcurrentHashMap<>();

    public WatcherLeaderMetrics(CamelClusterService election, ClusterProperties properties, MeterRegistry registry,
                                Clusters clusters) {
        this.election = election;
        this.properties = properties;
        this.registry = registry;
        clusters.listen(this);
    }

    @Override
    public void added(Clusters.Connected cluster) {
        String lease = properties.leaseOf(cluster.name());
        gauges.computeIfAbsent(cluster.name(), name -> Gauge.builder("osiris.watcher.leader", this,
                        m -> m.election.isLeader(lease) ? 1 : 0)
                .description("1 while this replica holds the cluster's watcher lease (and so watches it), else 0")
                .tag("cluster", name).register(registry));
    }

    @Override
    public void removed(String name) {
        Meter gauge = gauges.remove(name);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}
