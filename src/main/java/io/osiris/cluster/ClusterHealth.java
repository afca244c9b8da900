package io.osiris.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;

/**
 * {@code clusters} in health: one entry per registered cluster, {@code UP} while its API answers, else
 * {@code UNREACHABLE}, which ranks below {@code UP} (management.endpoint.health.status.order): a cluster that is away
 * marks only itself, never the service, whose readiness does not depend on any cluster. Each cluster's API is asked
 * in the background every {@code osiris.cluster.probe-interval} through a client that neither retries nor waits
 * long, so health answers at once; {@code osiris_cluster_reachable} says the same to Prometheus.
 */
public class ClusterHealth implements CompositeHealthContributor, DisposableBean {

    public static final Status UNREACHABLE = new Status("UNREACHABLE", "The cluster's API does not answer");

    private final Clusters clusters;
    private final Map<String, Health> last = new ConcurrentHashMap<>();
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osiris-cluster-probe");
        t.setDaemon(true);
        return t;
    });
    private final MeterRegistry meters;
    private final Map<String, Meter> gauges = new ConcurrentHashMap<>();

    public ClusterHealth(Clusters clusters, ClusterProperties properties, MeterRegistry meters) {
        this.clusters = clusters;
        this.meters = meters;
        long every = properties.probeInterval().toMillis();
        probes.scheduleWithFixedDelay(this::probeAll, 0, every, TimeUnit.MILLISECONDS);
    }

    private void probeAll() {
        List<Clusters.Connected> registered = clusters.all();
        List<String> names = registered.stream().map(Clusters.Connected::name).toList();
        last.keySet().retainAll(names);
        for (String gone : gauges.keySet().stream().filter(name -> !names.contains(name)).toList()) {
            meters.remove(gauges.remove(gone));
        }
        for (Clusters.Connected cluster : registered) {
            last.put(cluster.name(), probe(cluster));
            gauges.computeIfAbsent(cluster.name(), name -> Gauge.builder("osiris.cluster.reachable", this,
                            h -> h.reachable(name) ? 1 : 0)
                    .description("1 while the registered cluster's API answers, else 0")
                    .tag("cluster", name).register(meters));
        }
    }

    private static Health probe(Clusters.Connected cluster) {
        Health.Builder health;
        try {
            health = Health.up().withDetail("kubernetes",
                    String.valueOf(cluster.probe().getKubernetesVersion().getGitVersion()));
        } catch (RuntimeException e) {
            health = Health.status(UNREACHABLE).withDetail("error", String.valueOf(e.getMessage()));
        }
        ClusterRegistration registration = cluster.registration();
        return health.withDetail("source", registration.target().source().name())
                .withDetail("origin", registration.origin()).build();
    }

    /** UP, UNREACHABLE, or UNKNOWN before the cluster's first probe. */
    String status(String cluster) {
        Health health = last.get(cluster);
        return health == null ? Status.UNKNOWN.getCode() : health.getStatus().getCode();
    }

    boolean reachable(String cluster) {
        Health health = last.get(cluster);
        return health != null && Status.UP.equals(health.getStatus());
    }

    @Override
    public HealthContributor getContributor(String name) {
        return clusters.get(name).isPresent() ? indicator(name) : null;
    }

    private HealthIndicator indicator(String name) {
        return () -> last.getOrDefault(name, Health.unknown().withDetail("state", "not probed yet").build());
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return clusters.all().stream().map(c -> NamedContributor.<HealthContributor>of(c.name(), indicator(c.name())))
                .iterator();
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }
}
