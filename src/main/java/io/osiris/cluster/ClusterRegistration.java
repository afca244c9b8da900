package io.osiris.cluster;

/**
 * One registered cluster: what to watch there and how to reach it. {@code origin} says where the registration
 * comes from: {@code home} (osiris.cluster.*), {@code configuration} (osiris.clusters.registrations) or {@code api}
 * (POST /api/v1/clusters, kept in a Secret or the encrypted file); only the API's may be changed through the API.
 */
public record ClusterRegistration(WatchTarget target, ClusterAccess access, String origin) {

    public String name() {
        return target.cluster();
    }
}
