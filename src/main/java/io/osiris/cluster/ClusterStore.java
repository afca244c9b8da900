package io.osiris.cluster;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where registrations made through the API are kept, credentials included: a Kubernetes Secret per cluster
 * ({@link SecretClusterStore}) or, in the embedded default, an encrypted file per cluster
 * ({@link EncryptedFileClusterStore}). Never the database, never a ConfigMap.
 */
public interface ClusterStore {

    List<ClusterRegistration> load();

    void save(ClusterRegistration registration);

    void delete(String name);

    /**
     * Changes made elsewhere (another replica) after {@link #load()}: {@code changed} gets a new or changed
     * registration, {@code removed} a name. Stores that only this process writes call neither.
     */
    default void watch(Consumer<ClusterRegistration> changed, Consumer<String> removed) {
    }
}
