package io.osiris.cluster;

import java.util.List;

/**
 * What Osiris watches in one registered cluster: its name (in records, keys and the API), OpenShift Build objects
 * or build pods, in which namespaces (empty: all), and how build pods are found and named.
 */
public record WatchTarget(String cluster, ClusterProperties.Source source, List<String> namespaces,
                          String podSelector, String podNameLabel) {

    public WatchTarget {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    public boolean allNamespaces() {
        return namespaces.isEmpty();
    }
}
