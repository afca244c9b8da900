package io.osiris.cluster;

import io.osiris.records.BuildInfo;
import io.osiris.records.BuildRef;
import java.util.List;

/**
 * A build as the cluster shows it: its record reference (with the Kubernetes uid), its info, and where its log
 * comes from: the Build log subresource, or the containers of its pod (init containers first, in order).
 */
public record ClusterBuild(BuildRef ref, BuildInfo info, String podName, List<String> containers) {

    public boolean fromPod() {
        return podName != null;
    }

    public boolean isEnded() {
        return info.phase() != null && info.phase().isTerminal();
    }

    public boolean isRunning() {
        return info.phase() == io.osiris.records.Phase.Running;
    }

    /** Which of {@code lanes} event queues this build's events go through: always the same, so they stay in order. */
    public int lane(int lanes) {
        return Math.floorMod(java.util.Objects.hash(ref.namespace(), ref.name()), lanes);
    }
}
