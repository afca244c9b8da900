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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
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
 * the cluster without a watcher. With several Leases (one per registered cluster) the replicas share them out
 * ({@link LeaseShares}): a replica competes for another Lease only while it holds less than its share, and one
 * holding more than its share gives one up (and stays out of that election for two lease durations), so that
 * different replicas watch different clusters; when a replica dies, the share of the others grows and they take
 * over its Leases.
 */
public class LeaseElection extends AbstractCamelClusterService<LeaseElection.View> {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);

    private final KubernetesClient client;
    private final ClusterProperties properties;
    private final String identity;
    private final Set<View> views = new CopyOnWriteArraySet<>();
    private volatile LeaseShares shares;
    private ScheduledExecutorService balancing;

    public LeaseElection(KubernetesClient client, ClusterProperties properties) {
        super("osiris-lease-election");
        this.client = client;
        this.properties = properties;
        this.identity = properties.podName().isEmpty() ? "osiris-" + UUID.randomUUID() : properties.podName();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        shares = new LeaseShares(client, leaseNamespace(), properties.leaseName(), identity,
                properties.leaseDuration());
        balancing = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "osiris-lease-shares");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(200, properties.leaseDuration().toMillis() / 3);
        balancing.scheduleWithFixedDelay(this::balance, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (balancing != null) {
            balancing.shutdownNow();
            shares.leave();
        }
        super.doStop();
    }

    /** Renews membership; holding more than its share of the watcher Leases, this replica gives one up. */
    private void balance() {
        try {
            shares.renew();
            List<View> watchers = watcherViews();
            List<View> led = watchers.stream().filter(View::leads).sorted(java.util.Comparator.comparing(
                    View::getNamespace)).toList();
            if (led.size() > shares.share(watchers.size())) {
                View last = led.get(led.size() - 1);
                LOG.info("Lease {}: this replica holds {} of {} Leases among {} replicas, more than its share: "
                        + "giving it up", last.getNamespace(), led.size(), watchers.size(), shares.members());
                last.stepDown();
            }
        } catch (RuntimeException e) {
            LOG.warn("Sharing out the watcher Leases failed this round: {}", e.getMessage()); // the next round tries
        }
    }

    /** Whether this replica may compete for one more watcher Lease now (other Leases: always). */
    private boolean underShare(View view) {
        LeaseShares current = shares;
        if (current == null || !isWatcher(view)) {
            return true;
        }
        List<View> watchers = watcherViews();
        long led = watchers.stream().filter(View::leads).count();
        return led < current.share(watchers.size());
    }

    /** The Leases of the clusters' watchers ({@code osiris.cluster.lease-name} and its -NAME variants). */
    private List<View> watcherViews() {
        return views.stream().filter(this::isWatcher).toList();
    }

    private boolean isWatcher(View view) {
        String name = view.getNamespace();
        return name.equals(properties.leaseName()) || name.startsWith(properties.leaseName() + "-")
                && !name.startsWith(properties.leaseName() + "-member-");
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
        /** Until then this replica stays out of the election (it gave the Lease up to share them out). */
        private volatile long outUntilNanos = System.nanoTime();

        View(String name) {
            super(LeaseElection.this, name);
        }

        boolean leads() {
            return identity.equals(leader);
        }

        /** Gives the Lease up and stays out of this election for two lease durations. */
        void stepDown() {
            outUntilNanos = System.nanoTime() + properties.leaseDuration().multipliedBy(2).toNanos();
            CompletableFuture<?> current = election;
            if (current != null) {
                current.cancel(true); // releases the lease (releaseOnCancel); whenComplete competes again later
            }
        }

        @Override
        protected void doStart() {
            views.add(this);
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
            views.remove(this);
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
            if (System.nanoTime() < outUntilNanos || !underShare(this)) {
                elections.schedule(this::elect, retry.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
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
