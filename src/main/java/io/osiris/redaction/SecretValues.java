package io.osiris.redaction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The values of the configured Kubernetes Secrets of a namespace, to be masked in that namespace's logs. Read with
 * Osiris' own identity; a Secret it may not read, or that does not exist, adds nothing (and is said once per
 * refresh in the log). Cached per namespace for {@code osiris.redaction.secrets-refresh}.
 */
@Component
class SecretValues {

    private static final Logger LOG = LoggerFactory.getLogger(SecretValues.class);

    private final ObjectProvider<KubernetesClient> client;
    private final RedactionProperties properties;
    private final Cache<String, List<LineRedactor.Literal>> byNamespace;

    SecretValues(ObjectProvider<KubernetesClient> client, RedactionProperties properties) {
        this.client = client;
        this.properties = properties;
        this.byNamespace = Caffeine.newBuilder().expireAfterWrite(properties.secretsRefresh()).maximumSize(10_000)
                .build();
    }

    List<LineRedactor.Literal> of(String namespace) {
        if (properties.kubernetesSecrets().isEmpty()) {
            return List.of();
        }
        return byNamespace.get(namespace, this::read);
    }

    private List<LineRedactor.Literal> read(String namespace) {
        List<LineRedactor.Literal> values = new ArrayList<>();
        for (String name : properties.kubernetesSecrets()) {
            try {
                Secret secret = client.getObject().secrets().inNamespace(namespace).withName(name).get();
                if (secret == null) {
                    continue;
                }
                add(values, "secret/" + name, secret.getData(), true);
                add(values, "secret/" + name, secret.getStringData(), false);
            } catch (RuntimeException e) {
                LOG.warn("Secret {}/{} is not read, its values are not masked: {}", namespace, name, e.getMessage());
            }
        }
        return List.copyOf(values);
    }

    private void add(List<LineRedactor.Literal> values, String rule, Map<String, String> data, boolean base64) {
        if (data == null) {
            return;
        }
        for (String encoded : data.values()) {
            String value = base64 ? new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8) : encoded;
            LogRedaction.literals(rule, value, properties.minValueLength()).forEach(values::add);
        }
    }
}
