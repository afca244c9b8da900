package io.osiris.observability;

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

    public WatcherMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A build event from the informers: {@code kind} is added (a build seen first) or phase (a phase change). */
    public void event(String source, String kind) {
        Counter.builder("osiris.watch.events").description("Build events received from the cluster")
                .tag("source", source).tag("kind", kind).register(registry).increment();
    }

    /** A watch of {@code resource} was opened again: it broke off (API server restarted, network, expiry). */
    public void reconnect(String resource) {
        Counter.builder("osiris.watch.reconnects").description("Watches opened again after they broke off")
                .tag("resource", resource).register(registry).increment();
    }
}
