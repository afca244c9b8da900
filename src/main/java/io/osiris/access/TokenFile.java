package io.osiris.access;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The static credentials of observers and CI systems without a Kubernetes identity: a YAML file (mounted from a
 * Secret) of entries, each a name, the SHA-256 of its token (or a TLS client certificate subject), the namespaces it
 * may touch ({@code "*"} = all, cluster scope included) and its verbs. The file is looked at again at most every
 * {@code osiris.auth.tokens-reload} and re-read when its content changed; a broken new version is refused and the
 * last good one kept.
 */
final class TokenFile {

    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    record Entry(String name, String sha256, String subject, List<String> clusters, List<String> namespaces,
                 List<String> verbs, List<String> resources) {
    }

    record Document(List<Entry> tokens) {
    }

    /**
     * One entry, checked: what an identity from the file may do. {@code clusters} empty (or "*"): every registered
     * cluster; else only those, and never a request that spans every cluster.
     */
    record Grant(String name, Set<String> clusters, Set<String> namespaces, Set<Access.Verb> verbs,
                 Set<Access.Resource> resources) {

        boolean allows(Access access) {
            boolean everywhere = namespaces.contains("*");
            return verbs.contains(access.verb()) && resources.contains(access.resource())
                    && (everywhere || (!access.clusterScope() && namespaces.contains(access.namespace())))
                    && (anyCluster() || (access.cluster() != null && clusters.contains(access.cluster())));
        }

        boolean anyCluster() {
            return clusters.isEmpty() || clusters.contains("*");
        }

        /** The one cluster of an entry scoped to exactly one: where its pushes land when they name none. */
        Optional<String> onlyCluster() {
            return clusters.size() == 1 && !anyCluster() ? clusters.stream().findFirst() : Optional.empty();
        }
    }

    private record Loaded(byte[] content, Map<String, Grant> byHash, Map<String, Grant> bySubject,
                          Map<String, Grant> byName) {
    }

    private final Path path;
    private final java.time.Duration reload;
    private final Clock clock;
    private volatile Loaded loaded;
    private volatile Instant lastLook;

    TokenFile(Path path, java.time.Duration reload, Clock clock) {
        this.path = path;
        this.reload = reload;
        this.clock = clock;
        try {
            byte[] content = Files.readAllBytes(path);
            this.loaded = parse(content);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("osiris.auth.tokens-file " + path + " cannot be used: " + e.getMessage(), e);
        }
        this.lastLook = clock.instant();
        LOG.info("Tokens file {}: {} entries", path, loaded.byName().size());
    }

    Optional<Identity> byToken(String token) {
        String hash = KubernetesReviews.sha256(token);
        return current().byHash().entrySet().stream()
                .filter(e -> MessageDigest.isEqual(e.getKey().getBytes(), hash.getBytes()))
                .findFirst().map(e -> identity(e.getValue(), Identity.Source.TOKEN));
    }

    Optional<Identity> bySubject(String subject) {
        return Optional.ofNullable(current().bySubject().get(subject))
                .map(g -> identity(g, Identity.Source.CERTIFICATE));
    }

    boolean allows(Identity identity, Access access) {
        Grant grant = current().byName().get(identity.name());
        return grant != null && grant.allows(access);
    }

    /** Metrics (every namespace's figures) are for entries that may {@code get} everywhere. */
    boolean allowsMetrics(Identity identity) {
        Grant grant = current().byName().get(identity.name());
        return grant != null && grant.namespaces().contains("*") && grant.anyCluster()
                && grant.verbs().contains(Access.Verb.GET);
    }

    Optional<String> onlyCluster(Identity identity) {
        return Optional.ofNullable(current().byName().get(identity.name())).flatMap(Grant::onlyCluster);
    }

    private static Identity identity(Grant grant, Identity.Source source) {
        return new Identity(grant.name(), null, List.of(), Map.of(), source);
    }

    private Loaded current() {
        Instant now = clock.instant();
        if (now.isBefore(lastLook.plus(reload))) {
            return loaded;
        }
        synchronized (this) {
            if (now.isBefore(lastLook.plus(reload))) {
                return loaded;
            }
            lastLook = now;
            try {
                byte[] content = Files.readAllBytes(path);
                if (!Arrays.equals(content, loaded.content())) {
                    loaded = parse(content);
                    LOG.info("Tokens file {} changed: {} entries", path, loaded.byName().size());
                }
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("Tokens file {} cannot be read, the previous version stays in force: {}", path,
                        e.getMessage());
            }
            return loaded;
        }
    }

    static Loaded parse(byte[] content) throws IOException {
        Document document = YAML.readValue(content, Document.class);
        if (document == null || document.tokens() == null) {
            throw new IllegalArgumentException("the file must hold a list 'tokens'");
        }
        Map<String, Grant> byHash = new HashMap<>();
        Map<String, Grant> bySubject = new HashMap<>();
        Map<String, Grant> byName = new HashMap<>();
        for (Entry entry : document.tokens()) {
            Grant grant = grant(entry);
            if (byName.put(grant.name(), grant) != null) {
                throw new IllegalArgumentException("token name '" + grant.name() + "' is used twice");
            }
            if (entry.sha256() != null) {
                String hash = entry.sha256().toLowerCase(Locale.ROOT);
                if (!hash.matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException("token '" + grant.name() + "': sha256 must be 64 hex digits");
                }
                byHash.put(hash, grant);
            }
            if (entry.subject() != null) {
                bySubject.put(entry.subject(), grant);
            }
            if (entry.sha256() == null && entry.subject() == null) {
                throw new IllegalArgumentException("token '" + grant.name() + "' needs sha256 or subject");
            }
        }
        return new Loaded(content, byHash, bySubject, byName);
    }

    private static Grant grant(Entry entry) {
        if (entry.name() == null || entry.name().isBlank()) {
            throw new IllegalArgumentException("every token needs a name");
        }
        if (entry.namespaces() == null || entry.namespaces().isEmpty()) {
            throw new IllegalArgumentException("token '" + entry.name() + "' needs namespaces (or \"*\")");
        }
        if (entry.verbs() == null || entry.verbs().isEmpty()) {
            throw new IllegalArgumentException("token '" + entry.name() + "' needs verbs");
        }
        Set<Access.Verb> verbs = entry.verbs().stream().map(v -> verb(entry.name(), v)).collect(Collectors.toSet());
        // legal holds are named explicitly: a writer's entry without resources must not place or release them
        Set<Access.Resource> resources = entry.resources() == null
                ? Set.of(Access.Resource.BUILDS, Access.Resource.BUILD_LOGS)
                : entry.resources().stream().map(r -> resource(entry.name(), r)).collect(Collectors.toSet());
        Set<String> clusters = entry.clusters() == null ? Set.of() : Set.copyOf(entry.clusters());
        for (String cluster : clusters) {
            if (!cluster.equals("*") && !cluster.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("token '" + entry.name() + "': cluster '" + cluster
                        + "' is not a cluster name");
            }
        }
        return new Grant(entry.name(), clusters, Set.copyOf(entry.namespaces()), verbs, resources);
    }

    private static Access.Verb verb(String name, String verb) {
        return Arrays.stream(Access.Verb.values()).filter(v -> v.value().equals(verb)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("token '" + name + "': unknown verb '" + verb
                        + "', expected get, list, create, update or delete"));
    }

    private static Access.Resource resource(String name, String resource) {
        return Arrays.stream(Access.Resource.values()).filter(r -> r.value().equals(resource)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("token '" + name + "': unknown resource '" + resource
                        + "', expected builds, builds/log, builds/legalhold or clusters"));
    }

}
