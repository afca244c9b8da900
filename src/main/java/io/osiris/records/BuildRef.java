package io.osiris.records;

import java.util.Objects;

/**
 * Identifies one build record: the cluster it ran in, namespace and name, plus the Kubernetes uid when known (a
 * build re-created under the same name gets another uid and so another record). {@code uid} is null when the client
 * did not give one.
 */
public record BuildRef(String cluster, String namespace, String name, String uid) {

    public BuildRef {
        Objects.requireNonNull(cluster, "cluster");
    }

    public BuildRef withUid(String newUid) {
        return new BuildRef(cluster, namespace, name, newUid);
    }

    @Override
    public String toString() {
        return cluster + ":" + namespace + "/" + name + (uid == null ? "" : " (uid " + uid + ")");
    }
}
