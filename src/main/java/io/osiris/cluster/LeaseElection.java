package io.osiris.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster service behind the watcher's {@code master:} routes: one Kubernetes Lease per master namespace
 * ({@code osiris.cluster.lease-name}), held with fabric8's {@code LeaderElector}, which rides out API errors while
 * renewing and gives the lease up cleanly when it cannot. When leadership ends (renewal failed, lease taken), a new
 * election starts, so a replica that lost the lease during an API server hiccup competes again instead of leaving
 * the cluster without a watcher.
 */
public class LeaseElection extends AbstractCamelClusterService<LeaseElection.View> {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

    private final KubernetesClient client;
    private final ClusterProperties properties;
    private final String identity;

    public LeaseElection(KubernetesClient client, ClusterProperties properties) {
        super("osiris-lease-election");
        this.client = client;
        this.properties = properties;
        this.identity = properties.podName().isEmpty() ? "osiris-" + UUID.randomUUID() : properties.podName();
    }

    @Override
    protected View createView(String namespace) {
        return new View(namespace);
    }

    private String leaseNamespace() {
        if (!properties.leaseNamespace().isEmpty()) {
            return properties.leaseNamespace();
        }
        return client.getNamespace() != null ? client.getNamespace() : "default";
    }

    /** One election: the Lease named after the master namespace. */
    public final class View extends AbstractCamelClusterView {

        private final Member local = new Member(identity, true);
        private ScheduledExecutorService elections;
        private volatile CompletableFuture<?> election;
        private volatile String leader;
        private volatile boolean running;

        View(String name) {
            super(LeaseElection.this, name);
        }

        @Override
        protected void doStart() {
            running = true;
            elections = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "osiris-lease-" + getNamespace());
                t.setDaemon(true);
                return t;
            });
            elections.execute(this::elect);
        }

        @Override
        protected void doStop() {
            running = false;
            CompletableFuture<?> current = election;
            if (current != null) {
                current.cancel(true); // gives the lease up (releaseOnCancel)
            }
            elections.shutdownNow();
            changeLeader(null);
        }

        private void elect() {
            if (!running) {
                return;
            }
            Duration lease = properties.leaseDuration();
            Duration retry = Duration.ofMillis(Math.max(200, lease.toMillis() / 7));
            election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                    .withName(getNamespace())
                    .withLock(new LeaseLock(leaseNamespace(), getNamespace(), identity))
                    .withLeaseDuration(lease)
                    .withRenewDeadline(lease.multipliedBy(2).dividedBy(3))
                    .withRetryPeriod(retry)
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(new LeaderCallbacks(
                            () -> changeLeader(identity),
                            () -> {
                                if (identity.equals(leader)) {
                                    changeLeader(null);
                                }
                            },
                            this::changeLeader))
                    .build()).build().start();
            election.whenComplete((done, error) -> {
                if (running) {
                    LOG.info("Lease {} no longer held by {}; competing again", getNamespace(), identity);
                    elections.schedule(this::elect, retry.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }

        private synchronized void changeLeader(String holder) {
            String newLeader = holder == null || holder.isEmpty() ? null : holder; // a released lease has no holder
            if (!Objects.equals(leader, newLeader)) {
                LOG.info("Lease {}: leader {} (this replica: {})", getNamespace(), newLeader, identity);
                leader = newLeader;
                fireLeadershipChangedEvent(getLeader().orElse(null));
            }
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            String current = leader;
            if (current == null) {
                return Optional.empty();
            }
            return Optional.of(current.equals(identity) ? local : new Member(current, false));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            List<CamelClusterMember> members = new ArrayList<>(List.of(local));
            getLeader().filter(m -> !m.isLocal()).ifPresent(members::add);
            return members;
        }

        private final class Member implements CamelClusterMember {
            private final String id;
            private final boolean isLocal;

            Member(String id, boolean isLocal) {
                this.id = id;
                this.isLocal = isLocal;
            }

            @Override
            public String getId() {
                return id;
            }

            @Override
            public boolean isLeader() {
                return id.equals(leader);
            }

            @Override
            public boolean isLocal() {
                return isLocal;
            }
        }
    }
}
