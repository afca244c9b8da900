package io.osiris.records;

/**
 * The cluster Osiris itself runs in ({@code osiris.cluster.name}): the first registration, the cluster of a request
 * that names none, and the cluster of every record written before Osiris knew several clusters.
 */
public record HomeCluster(String name) {

    public HomeCluster {
        BuildNames.cluster(name);
    }
}
