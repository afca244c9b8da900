package io.osiris.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replicas are alive, so that each holds a fair share of the watcher Leases instead of the first one holding
 * them all: every replica renews a membership Lease of its own ({@code PREFIX-member-IDENTITY}); the live members
 * are those renewed within a lease duration. When the members cannot be listed, a replica counts itself alone and
 * competes for every Lease: no cluster is ever left unwatched for want of a count.
 */
final class LeaseShares {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseShares.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String prefix;
    private final String identity;
    private final Duration lease;
    private volatile int members = 1;

    LeaseShares(KubernetesClient client, String namespace, String leaseName, String identity, Duration lease) {
        this.client = client;
        this.namespace = namespace;
        this.prefix = leaseName + "-member-";
        this.identity = identity;
        this.lease = lease;
    }

    /** Renews this replica's membership and counts the live members. */
    void renew() {
        try {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            client.leases().inNamespace(namespace).resource(new LeaseBuilder().withNewMetadata()
                    .withName(memberName()).withNamespace(namespace).endMetadata()
                    .withNewSpec().withHolderIdentity(identity)
                    .withLeaseDurationSeconds((int) Math.max(1, lease.toSeconds()))
                    .withRenewTime(now).endSpec().build()).serverSideApply();
            int live = 0;
            for (Lease member : client.leases().inNamespace(namespace).list().getItems()) {
                if (member.getMetadata().getName().startsWith(prefix) && member.getSpec() != null
                        && member.getSpec().getRenewTime() != null
                        && member.getSpec().getRenewTime().plus(lease).isAfter(now)) {
                    live++;
                }
            }
            members = Math.max(1, live);
        } catch (RuntimeException e) {
            members = 1;
            LOG.debug("Replica membership not renewed: {}", e.getMessage());
        }
    }

    /** The most Leases this replica should hold of {@code leases}: its share, rounded up. */
    int share(int leases) {
        return Math.max(1, (leases + members - 1) / members);
    }

    int members() {
        return members;
    }

    void leave() {
        try {
            client.leases().inNamespace(namespace).withName(memberName()).delete();
        } catch (RuntimeException e) {
            LOG.debug("Replica membership not given up: {}", e.getMessage());
        }
    }

    private String memberName() {
        return prefix + identity.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
    }
}
