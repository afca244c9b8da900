package io.osiris.cluster;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.cluster.*}: the built-in watcher. Osiris watches OpenShift Build objects (or build pods on plain
 * Kubernetes), records every phase change and stores the log of every build that ends.
 *
 * @param name              this cluster's name in records, keys and the API (a DNS-1123 label); records of versions
 *                          before clusters belong to it. Choose it before the first start: it is not renamed later
 * @param enabled           watch the cluster at all
 * @param source            {@code builds} (OpenShift Build objects) or {@code pods} (build pods)
 * @param namespaces        namespaces to watch; empty = all namespaces
 * @param podSelector       label selector of build pods (source {@code pods}), e.g. {@code tekton.dev/taskRun}
 * @param podNameLabel      pod label whose value names the build (else the pod name)
 * @param followLogs        follow a running build's log from its start, so rotation or pruning loses nothing
 * @param followEndGrace    how long, after a followed log's stream ends, the build may take to be marked ended
 *                          before the follow counts as broken off (then the log is fetched again when it ends)
 * @param reconcileInterval how often every ended build is checked for a missing log (also at start)
 * @param leaseName         Lease that elects the one replica that watches
 * @param leaseNamespace    namespace of the Lease (Osiris' own)
 * @param podName           identity of this replica in the election (the pod name)
 * @param leaseDuration     how long a leader's lease lasts without renewal
 * @param leaseElection     elect the watching replica of each cluster with Leases in the home cluster (default: when
 *                          the home cluster is watched); off, a file lock in the spool folder elects (one replica)
 * @param probeInterval     how often each registered cluster's API is asked whether it answers (health, metrics)
 */
@Validated
@ConfigurationProperties("osiris.cluster")
public record ClusterProperties(
        @NotBlank @DefaultValue("local") String name,
        boolean enabled,
        @NotNull @DefaultValue("builds") Source source,
        @DefaultValue List<String> namespaces,
        @NotBlank @DefaultValue("openshift.io/build.name") String podSelector,
        @NotBlank @DefaultValue("openshift.io/build.name") String podNameLabel,
        @DefaultValue("true") boolean followLogs,
        @NotNull @DefaultValue("10s") Duration followEndGrace,
        @NotNull @DefaultValue("5m") Duration reconcileInterval,
        @NotBlank @DefaultValue("osiris-watcher") String leaseName,
        @DefaultValue("") String leaseNamespace,
        @DefaultValue("") String podName,
        @NotNull @DefaultValue("15s") Duration leaseDuration,
        Boolean leaseElection,
        @NotNull @DefaultValue("10s") Duration probeInterval) {

    public enum Source { builds, pods }

    public boolean allNamespaces() {
        return namespaces == null || namespaces.isEmpty();
    }

    /** Leases elect the watchers: set, or else whenever the home cluster is watched. */
    public boolean electsWithLeases() {
        return leaseElection != null ? leaseElection : enabled;
    }

    /** The home cluster as a watch target. */
    public WatchTarget home() {
        return new WatchTarget(name, source, namespaces, podSelector, podNameLabel);
    }

    /** The Lease (master namespace) of a cluster's watcher: the home cluster keeps the name it always had. */
    public String leaseOf(String cluster) {
        return cluster.equals(name) ? leaseName : leaseName + "-" + cluster;
    }
}
