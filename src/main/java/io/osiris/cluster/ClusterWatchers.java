package io.osiris.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every registered cluster its own watcher routes, made from the templates {@code cluster-watch} and
 * {@code cluster-reconcile} (routes/build-watch.camel.yaml) once Camel has started, and as registrations come and go:
 * {@code build-watch-NAME} and {@code build-reconcile-NAME}, each behind the cluster's own Lease, so that different
 * replicas may watch different clusters.
 */
public class ClusterWatchers implements CamelContextConfiguration, Clusters.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWatchers.class);

    private final Clusters clusters;
    private final ClusterProperties properties;
    private volatile CamelContext camel;

    public ClusterWatchers(Clusters clusters, ClusterProperties properties) {
        this.clusters = clusters;
        this.properties = properties;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        // the templates are loaded with the routes; instances are added once everything runs
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        clusters.listen(this);
    }

    @Override
    public synchronized void added(Clusters.Connected cluster) {
        if (camel == null) {
            return;
        }
        String name = cluster.name();
        try {
            for (String template : new String[] {"cluster-watch", "cluster-reconcile"}) {
                TemplatedRouteBuilder.builder(camel, template)
                        .routeId(routeId(template, name))
                        .parameter("cluster", name)
                        .parameter("lease", properties.leaseOf(name))
                        .add();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the watcher of cluster '" + name + "'", e);
        }
        LOG.info("Watcher routes of cluster '{}' added (lease {})", name, properties.leaseOf(name));
    }

    @Override
    public synchronized void removed(String name) {
        if (camel == null) {
            return;
        }
        for (String template : new String[] {"cluster-watch", "cluster-reconcile"}) {
            String id = routeId(template, name);
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Route {} not removed: {}", id, e.getMessage());
            }
        }
    }

    private static String routeId(String template, String cluster) {
        return template.replace("cluster-", "build-") + "-" + cluster;
    }
}
