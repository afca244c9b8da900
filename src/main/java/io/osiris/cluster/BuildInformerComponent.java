package io.osiris.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code osiris-builds:watch?cluster=NAME}: a consumer of the build changes of one registered cluster from fabric8
 * informers (OpenShift Build objects or build pods, as the cluster's registration says). Unlike the camel-kubernetes watch consumers, an informer lists, watches,
 * reconnects after a closed watch and lists again when it missed events, so no build goes unseen. The body of each
 * exchange is a {@link ClusterBuild}; one exchange per new build and per phase change. Informers run only while the
 * consumer runs, so {@code master:} decides which replica watches.
 */
@Component("osiris-builds")
public class BuildInformerComponent extends DefaultComponent {

    private static final Logger LOG = LoggerFactory.getLogger(BuildInformerComponent.class);
    private static final long RESYNC_MILLIS = 10 * 60 * 1000L;

    private final Clusters clusters;
    private final WatcherMetrics metrics;

    public BuildInformerComponent(Clusters clusters, WatcherMetrics metrics) {
        this.clusters = clusters;
        this.metrics = metrics;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String cluster = String.valueOf(parameters.remove("cluster"));
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                throw new UnsupportedOperationException("osiris-builds only consumes");
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                return new InformerConsumer(this, processor, cluster);
            }
        };
    }

    private final class InformerConsumer extends DefaultConsumer {
        private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
        private final String cluster;
        private ClusterBuilds builds;
        private WatchTarget target;

        InformerConsumer(Endpoint endpoint, Processor processor, String cluster) {
            super(endpoint, processor);
            this.cluster = cluster;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            builds = clusters.builds(cluster);
            target = builds.target();
            for (String namespace : builds.namespaces()) {
                informers.add(inform(namespace));
            }
            LOG.info("Watching {} of cluster '{}' in {}", target.source(), cluster,
                    target.allNamespaces() ? "all namespaces" : target.namespaces());
        }

        private SharedIndexInformer<? extends HasMetadata> inform(String namespace) {
            SharedIndexInformer<? extends HasMetadata> informer;
            if (target.source() == ClusterProperties.Source.builds) {
                var resources = namespace == null ? builds.openShift().builds().inAnyNamespace()
                        : builds.openShift().builds().inNamespace(namespace);
                informer = resources.runnableInformer(RESYNC_MILLIS).addEventHandler(handler());
            } else {
                informer = builds.pods(namespace).runnableInformer(RESYNC_MILLIS).addEventHandler(handler());
            }
            // an API server that is away at start is waited for, as one lost later is
            informer.exceptionHandler((started, error) -> {
                LOG.warn("Listing {} of cluster '{}' failed, trying again: {}", target.source(), cluster,
                        error.getMessage());
                return !ExceptionHandler.isDeserializationException(error);
            });
            informer.start();
            return informer;
        }

        private <T extends HasMetadata> ResourceEventHandler<T> handler() {
            return new ResourceEventHandler<>() {
                @Override
                public void onAdd(T resource) {
                    metrics.event(cluster, target.source().name(), "added");
                    emit(builds.of(resource));
                }

                @Override
                public void onUpdate(T before, T after) {
                    ClusterBuild now = builds.of(after);
                    if (!Objects.equals(builds.of(before).info().phase(), now.info().phase())) {
                        metrics.event(cluster, target.source().name(), "phase");
                        emit(now);
                    }
                }

                @Override
                public void onDelete(T resource, boolean finalStateUnknown) {
                    // the record stays: keeping logs past the build's deletion is the point
                }
            };
        }

        private void emit(ClusterBuild build) {
            Exchange exchange = createExchange(false);
            exchange.getMessage().setBody(build);
            try {
                getProcessor().process(exchange);
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("Build event of " + build.ref() + " failed", exchange,
                            exchange.getException());
                }
            } catch (Exception e) {
                getExceptionHandler().handleException("Build event of " + build.ref() + " failed", e);
            } finally {
                releaseExchange(exchange, false);
            }
        }

        @Override
        protected void doStop() throws Exception {
            informers.forEach(SharedIndexInformer::close);
            informers.clear();
            super.doStop();
        }
    }
}
