package io.osiris.records;

/**
 * Identifies one build record: namespace and name, plus the Kubernetes uid when known (a build re-created under
 * the same name gets another uid and so another record). {@code uid} is null when the client did not give one.
 */
public record BuildRef(String namespace, String name, String uid) {

    public BuildRef withUid(String newUid) {
        return new BuildRef(namespace, name, newUid);
    }

    @Override
    public String toString() {
        return namespace + "/" + name + (uid == null ? "" : " (uid " + uid + ")");
    }
}
