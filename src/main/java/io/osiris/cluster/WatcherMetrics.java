package io.osiris.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The built-in watcher as Prometheus sees it, per registered cluster: build events by source and kind, and watches
 * opened again after they broke off ({@link WatcherLeaderMetrics} tells which clusters this replica watches and
 * which are reachable).
 */
@Component
public class WatcherMetrics {

    private final MeterRegistry registry;

    public WatcherMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A cluster is watched from now: its series start at 0, so that rate() and increase() see the first event. */
    void watching(WatchTarget target) {
        String source = target.source().name();
        event(target.cluster(), source, "added", 0);
        event(target.cluster(), source, "phase", 0);
        reconnect(target.cluster(), source, 0);
    }

    /** A build event from the informers: {@code kind} is added (a build seen first) or phase (a phase change). */
    public void event(String cluster, String source, String kind) {
        event(cluster, source, kind, 1);
    }

    private void event(String cluster, String source, String kind, int count) {
        Counter.builder("osiris.watch.events").description("Build events received from the cluster")
                .tag("cluster", cluster).tag("source", source).tag("kind", kind).register(registry).increment(count);
    }

    /** A watch of {@code resource} was opened again: it broke off (API server restarted, network, expiry). */
    public void reconnect(String cluster, String resource) {
        reconnect(cluster, resource, 1);
    }

    private void reconnect(String cluster, String resource, int count) {
        Counter.builder("osiris.watch.reconnects").description("Watches opened again after they broke off")
                .tag("cluster", cluster).tag("resource", resource).register(registry).increment(count);
    }
}
