package io.osiris.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildRef;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The registered clusters Osiris watches, each with its own clients: what the watcher routes, the log captures and
 * the health ask. Registrations come and go at run time; listeners ({@link ClusterWatchers}) start and stop each
 * cluster's routes. A cluster's clients are made when it is registered and closed when it goes.
 */
public class Clusters implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(Clusters.class);

    /** Told when a cluster is registered (or its registration changed: removed, then added) and removed. */
    public interface Listener {
        void added(Connected cluster);

        void removed(String name);
    }

    /** A registered cluster and its clients. */
    public record Connected(ClusterRegistration registration, ClusterBuilds builds, KubernetesClient probe) {
        public String name() {
            return registration.name();
        }

        void close() {
            builds.client().close();
            probe.close();
        }
    }

    private final Map<String, Connected> clusters = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ClusterProperties properties;
    private final Supplier<Config> homeConfig;
    private final WatcherMetrics metrics;

    public Clusters(ClusterProperties properties, Supplier<Config> homeConfig, WatcherMetrics metrics) {
        this.properties = properties;
        this.homeConfig = homeConfig;
        this.metrics = metrics;
    }

    public void listen(Listener listener) {
        listeners.add(listener);
        clusters.values().forEach(listener::added);
    }

    /** Registers a cluster, or replaces its registration: its watch restarts with the new one. */
    public synchronized void register(ClusterRegistration registration) {
        Config config = ClusterClients.config(registration.access(), registration.access().inCluster()
                ? homeConfig.get() : null);
        KubernetesClient client = ClusterClients.client(config, new WatchReconnects(metrics, registration.name()));
        Connected connected = new Connected(registration,
                new ClusterBuilds(client, registration.target(), properties.followEndGrace()),
                ClusterClients.probe(config));
        Connected before = clusters.put(registration.name(), connected);
        if (before != null) {
            listeners.forEach(l -> l.removed(before.name()));
            before.close();
        }
        metrics.watching(registration.target());
        listeners.forEach(l -> l.added(connected));
        LOG.info("Cluster '{}' registered ({}, {} in {}, from {})", registration.name(),
                registration.access().apiUrl() == null ? "in-cluster" : registration.access().apiUrl(),
                registration.target().source(), registration.target().allNamespaces() ? "all namespaces"
                        : registration.target().namespaces(), registration.origin());
    }

    /** Stops watching a cluster; its records and logs stay. False when it was not registered. */
    public synchronized boolean unregister(String name) {
        Connected gone = clusters.remove(name);
        if (gone == null) {
            return false;
        }
        listeners.forEach(l -> l.removed(name));
        gone.close();
        LOG.info("Cluster '{}' no longer watched", name);
        return true;
    }

    public Optional<Connected> get(String name) {
        return Optional.ofNullable(clusters.get(name));
    }

    public List<Connected> all() {
        return clusters.values().stream().sorted(java.util.Comparator.comparing(Connected::name)).toList();
    }

    /** The builds of a registered cluster; 400 when Osiris does not watch it. */
    public ClusterBuilds builds(String cluster) {
        return get(cluster).map(Connected::builds).orElseThrow(() -> OsirisException.badRequest("cluster",
                "cluster '" + cluster + "' is not registered for watching"));
    }

    /** Route build-reconcile: the ended builds of one cluster. */
    public List<ClusterBuild> ended(String cluster) {
        return builds(cluster).ended();
    }

    /** Route cluster-log-capture: the build's log in its cluster (see {@link ClusterBuilds#open}). */
    public InputStream open(ClusterBuild build, boolean follow, Exchange exchange) {
        return builds(build.ref().cluster()).open(build, follow, exchange);
    }

    public ClusterBuild find(BuildRef ref) {
        return builds(ref.cluster()).find(ref);
    }

    @Override
    public synchronized void destroy() {
        clusters.values().forEach(Connected::close);
        clusters.clear();
    }
}
