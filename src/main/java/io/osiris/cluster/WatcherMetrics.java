package io.osiris.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The built-in watcher as Prometheus sees it: build events by source and kind, and watches opened again after
 * they broke off ({@link WatcherLeaderMetrics} tells whether this replica is the elected watcher).
 */
@Component
public class WatcherMetrics {

    private final MeterRegistry registry;

    public WatcherMetrics(MeterRegistry registry, ClusterProperties cluster) {
        this.registry = registry;
        if (cluster.enabled()) { // series from 0, so that rate() and increase() see the first event
            String source = cluster.source().name();
            event(source, "added", 0);
            event(source, "phase", 0);
            reconnect(source, 0);
        }
    }

    /** A build event from the informers: {@code kind} is added (a build seen first) or phase (a phase change). */
    public void event(String source, String kind) {
        event(source, kind, 1);
    }

    private void event(String source, String kind, int count) {
        Counter.builder("osiris.watch.events").description("Build events received from the cluster")
                .tag("source", source).tag("kind", kind).register(registry).increment(count);
    }

    /** A watch of {@code resource} was opened again: it broke off (API server restarted, network, expiry). */
    public void reconnect(String resource) {
        reconnect(resource, 1);
    }

    private void reconnect(String resource, int count) {
        Counter.builder("osiris.watch.reconnects").description("Watches opened again after they broke off")
                .tag("resource", resource).register(registry).increment(count);
    }
}
