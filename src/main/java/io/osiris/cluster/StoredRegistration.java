package io.osiris.cluster;

import java.util.List;

/** A registration as a store keeps it (JSON), credentials included: only ever inside a Secret or encrypted. */
record StoredRegistration(String name, String apiUrl, String caCert, String token, String kubeconfig,
                          ClusterProperties.Source source, List<String> namespaces, String podSelector,
                          String podNameLabel) {

    static StoredRegistration of(ClusterRegistration registration) {
        WatchTarget target = registration.target();
        ClusterAccess access = registration.access();
        return new StoredRegistration(target.cluster(), access.apiUrl(), access.caCert(), access.token(),
                access.kubeconfig(), target.source(), target.namespaces(), target.podSelector(),
                target.podNameLabel());
    }

    ClusterRegistration registration() {
        return new ClusterRegistration(new WatchTarget(name, source, namespaces, podSelector, podNameLabel),
                new ClusterAccess(apiUrl, caCert, null, token, null, kubeconfig, null), "api");
    }

    @Override
    public String toString() {
        return "StoredRegistration[" + name + "]"; // never the credentials
    }
}
