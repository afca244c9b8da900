package io.osiris.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Registrations in Kubernetes Secrets of the home cluster, one per cluster ({@code osiris-cluster-NAME}, label
 * {@code osiris.io/cluster-registration}), in Osiris' namespace. Every replica watches them, so a registration made
 * through any replica takes effect on all of them. Osiris' service account needs get, list, watch, create, update
 * and delete on secrets in its own namespace (openshift/ templates).
 */
class SecretClusterStore implements ClusterStore, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SecretClusterStore.class);
    static final String LABEL = "osiris.io/cluster-registration";
    private static final String KEY = "registration.json";
    private static final String PREFIX = "osiris-cluster-";

    private final KubernetesClient client;
    private final String namespace;
    private final ObjectMapper json;
    private SharedIndexInformer<Secret> informer;

    SecretClusterStore(KubernetesClient client, String namespace, ObjectMapper json) {
        this.client = client;
        this.namespace = namespace;
        this.json = json;
    }

    @Override
    public List<ClusterRegistration> load() {
        List<ClusterRegistration> found = new ArrayList<>();
        for (Secret secret : client.secrets().inNamespace(namespace).withLabel(LABEL).list().getItems()) {
            read(secret).ifPresent(found::add);
        }
        return found;
    }

    @Override
    public void save(ClusterRegistration registration) {
        try {
            String data = Base64.getEncoder().encodeToString(
                    json.writeValueAsBytes(StoredRegistration.of(registration)));
            client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
                    .withName(secretName(registration.name())).withNamespace(namespace)
                    .addToLabels(LABEL, registration.name()).endMetadata()
                    .withType("Opaque").addToData(KEY, data).build()).serverSideApply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String name) {
        client.secrets().inNamespace(namespace).withName(secretName(name)).delete();
    }

    @Override
    public synchronized void watch(Consumer<ClusterRegistration> changed, Consumer<String> removed) {
        informer = client.secrets().inNamespace(namespace).withLabel(LABEL).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                read(secret).ifPresent(changed);
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                if (!java.util.Objects.equals(before.getData(), after.getData())) {
                    read(after).ifPresent(changed);
                }
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                String name = secret.getMetadata().getName();
                if (name.startsWith(PREFIX)) {
                    removed.accept(name.substring(PREFIX.length()));
                }
            }
        });
    }

    private Optional<ClusterRegistration> read(Secret secret) {
        String data = secret.getData() == null ? null : secret.getData().get(KEY);
        try {
            return Optional.of(json.readValue(new String(Base64.getDecoder().decode(data == null ? "" : data),
                    StandardCharsets.UTF_8), StoredRegistration.class).registration());
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("Secret {} does not hold a cluster registration: {}", secret.getMetadata().getName(),
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    static String secretName(String cluster) {
        return PREFIX + cluster;
    }

    @Override
    public synchronized void destroy() {
        if (informer != null) {
            informer.close();
        }
    }
}
