package io.osiris.cluster;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildNames;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.cluster.CamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The registrations: at start the home cluster (when {@code osiris.cluster.enabled}), those of
 * {@code osiris.clusters.registrations} and those kept in the {@link ClusterStore}; then the API's
 * ({@code /api/v1/clusters}), which take effect at once, on every replica when the store is shared (Secrets). Names
 * are unique; only registrations made through the API can be changed or removed through it.
 */
public class ClusterRegistrations implements SmartInitializingSingleton {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRegistrations.class);

    private final Clusters clusters;
    private final ClusterProperties home;
    private final ClustersProperties others;
    private final ClusterStore store;
    private final ClusterHealth health;
    private final ObjectProvider<CamelClusterService> election;

    public ClusterRegistrations(Clusters clusters, ClusterProperties home, ClustersProperties others,
                                ClusterStore store, ClusterHealth health,
                                ObjectProvider<CamelClusterService> election) {
        this.clusters = clusters;
        this.home = home;
        this.others = others;
        this.store = store;
        this.health = health;
        this.election = election;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> names = new HashSet<>();
        if (home.enabled()) {
            names.add(home.name());
            clusters.register(new ClusterRegistration(home.home(), ClusterAccess.IN_CLUSTER, "home"));
        }
        for (ClustersProperties.Registration configured : others.registrations()) {
            ClusterRegistration registration = configured.registration();
            check(registration);
            if (!names.add(registration.name())) {
                throw new IllegalStateException("cluster '" + registration.name() + "' is registered twice "
                        + "(osiris.cluster.name and osiris.clusters.registrations must name different clusters)");
            }
            clusters.register(registration);
        }
        try {
            for (ClusterRegistration stored : store.load()) {
                if (names.contains(stored.name())) {
                    LOG.warn("Cluster '{}' is registered by configuration; the registration kept from the API is "
                            + "not used", stored.name());
                } else {
                    clusters.register(stored);
                }
            }
            store.watch(this::changedElsewhere, this::removedElsewhere);
        } catch (RuntimeException e) {
            // the store (Secrets in the home cluster) being away must not keep the service from starting
            LOG.error("Cluster registrations made through the API cannot be read now: {}", e.getMessage());
        }
    }

    /** Every registered cluster, by name. */
    public List<ClusterView> list() {
        return clusters.all().stream().map(this::view).toList();
    }

    public ClusterView view(String name) {
        return clusters.get(name).map(this::view).orElseThrow(() -> OsirisException.notFound("cluster '" + name
                + "' is not registered"));
    }

    /** Registers a cluster (or changes its registration) through the API: kept in the store, then watched. */
    public ClusterView put(ClusterRegistration registration) {
        check(registration);
        clusters.get(registration.name()).filter(c -> !"api".equals(c.registration().origin())).ifPresent(c -> {
            throw fixed(c.registration());
        });
        if (clusters.get(registration.name()).isEmpty() && clusters.all().size() >= others.max()) {
            throw new OsirisException(ErrorKind.CONFLICT, "name", "at most " + others.max()
                    + " clusters can be registered (osiris.clusters.max)");
        }
        store.save(registration);
        clusters.register(registration);
        return view(registration.name());
    }

    /** Stops watching a cluster registered through the API; its records and logs stay. */
    public void remove(String name) {
        Clusters.Connected cluster = clusters.get(name).orElseThrow(() -> OsirisException.notFound("cluster '"
                + name + "' is not registered"));
        if (!"api".equals(cluster.registration().origin())) {
            throw fixed(cluster.registration());
        }
        store.delete(name);
        clusters.unregister(name);
    }

    public boolean exists(String name) {
        return clusters.get(name).isPresent();
    }

    /** Another replica registered or changed a cluster: taken over unless it is already so, or not the API's. */
    private void changedElsewhere(ClusterRegistration registration) {
        ClusterRegistration current = clusters.get(registration.name()).map(Clusters.Connected::registration)
                .orElse(null);
        if (current == null || (!current.equals(registration) && "api".equals(current.origin()))) {
            clusters.register(registration);
        }
    }

    private void removedElsewhere(String name) {
        clusters.get(name).filter(c -> "api".equals(c.registration().origin()))
                .ifPresent(c -> clusters.unregister(name));
    }

    private static OsirisException fixed(ClusterRegistration registration) {
        return new OsirisException(ErrorKind.CONFLICT, "cluster", "cluster '" + registration.name()
                + "' is registered by " + (registration.origin().equals("home") ? "osiris.cluster.*"
                : "osiris.clusters.registrations") + " and can only be changed there");
    }

    private static void check(ClusterRegistration registration) {
        BuildNames.cluster(registration.name());
        for (String namespace : registration.target().namespaces()) {
            BuildNames.namespace(namespace);
        }
        ClusterClients.validate(registration.access());
    }

    private ClusterView view(Clusters.Connected cluster) {
        ClusterRegistration registration = cluster.registration();
        WatchTarget target = registration.target();
        CamelClusterService service = election.getIfAvailable();
        boolean leader = service != null && service.isLeader(home.leaseOf(cluster.name()));
        return new ClusterView(cluster.name(), registration.access().apiUrl(), target.source(), target.namespaces(),
                target.podSelector(), target.podNameLabel(), registration.origin(),
                registration.access().credentialsKind(), health.status(cluster.name()), leader);
    }
}
