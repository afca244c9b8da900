package io.osiris.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.camel.cluster.CamelClusterService;
import org.springframework.stereotype.Component;

/** {@code osiris_watcher_leader}: 1 while this replica holds the watcher lease and so watches the cluster. */
@Component
public class WatcherLeaderMetrics implements MeterBinder {

    private final CamelClusterService election;
    private final ClusterProperties properties;

    public WatcherLeaderMetrics(CamelClusterService election, ClusterProperties properties) {
        this.election = election;
        this.properties = properties;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("osiris.watcher.leader", this, m -> m.isLeader() ? 1 : 0)
                .description("1 while this replica holds the watcher lease (and so watches), else 0")
                .register(registry);
    }

    private boolean isLeader() {
        return properties.enabled() && election.isLeader(properties.leaseName());
    }
}
