package io.osiris.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fabric8 Kubernetes mock server answering TokenReview and SubjectAccessReview from a small RBAC table (the mock
 * stores such POSTs but does not evaluate them). Tokens are {@code token-<user>}; grants are given per user as
 * "verb resource namespace" ({@code *} namespace = cluster scope, which also covers every namespace, as a
 * ClusterRoleBinding does), or non-resource paths. It counts the reviews it answered.
 */
public final class KubernetesAuthMock implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> users = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> grants = new ConcurrentHashMap<>();
    private final AtomicInteger tokenReviews = new AtomicInteger();
    private final AtomicInteger accessReviews = new AtomicInteger();
    private final Dispatcher dispatcher;
    private KubernetesMockServer server;
    private int port;

    public KubernetesAuthMock() {
        dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getPath();
                try {
                    if (path.startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
                        tokenReviews.incrementAndGet();
                        return answer(tokenReview(JSON.readTree(request.getBody().readUtf8())));
                    }
                    if (path.startsWith("/apis/authorization.k8s.io/v1/subjectaccessreviews")) {
                        accessReviews.incrementAndGet();
                        return answer(accessReview(JSON.readTree(request.getBody().readUtf8())));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new MockResponse().setResponseCode(404).setBody("{}");
            }
        };
        restart();
    }

    /** Starts the server, on the port it had before if it ran already (the API coming back). */
    public void restart() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        port = server.getPort();
    }

    /** The API goes away. */
    public void stop() {
        server.destroy();
    }

    public void user(String name) {
        users.add(name);
    }

    /** Grants {@code verbs} on {@code resources} (builds, builds/log) in a namespace, or everywhere with null. */
    public void grant(String user, String namespace, List<String> verbs, List<String> resources) {
        user(user);
        for (String verb : verbs) {
            for (String resource : resources) {
                grants.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet())
                        .add(verb + " " + resource + " " + (namespace == null ? "*" : namespace));
            }
        }
    }

    public void revoke(String user) {
        grants.remove(user);
    }

    public void grantPath(String user, String path) {
        user(user);
        grants.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add("get path " + path);
    }

    public int tokenReviews() {
        return tokenReviews.get();
    }

    public int accessReviews() {
        return accessReviews.get();
    }

    /** How Osiris reaches this server, as its own service account would. */
    public Config config() {
        return server.createClient().getConfiguration();
    }

    private ObjectNode tokenReview(JsonNode review) {
        String token = review.path("spec").path("token").asText();
        String user = token.startsWith("token-") ? token.substring("token-".length()) : null;
        ObjectNode status = ((ObjectNode) review).putObject("status");
        if (user != null && users.contains(user)) {
            status.put("authenticated", true);
            status.putObject("user").put("username", user).put("uid", "uid-" + user).putArray("groups")
                    .add("system:authenticated");
        } else {
            status.put("authenticated", false);
        }
        return (ObjectNode) review;
    }

    private ObjectNode accessReview(JsonNode review) {
        JsonNode spec = review.path("spec");
        Set<String> granted = grants.getOrDefault(spec.path("user").asText(), Set.of());
        boolean allowed;
        if (spec.has("nonResourceAttributes")) {
            allowed = granted.contains("get path " + spec.path("nonResourceAttributes").path("path").asText());
        } else {
            JsonNode attributes = spec.path("resourceAttributes");
            String resource = attributes.path("resource").asText()
                    + (attributes.hasNonNull("subresource") && !attributes.path("subresource").asText().isEmpty()
                    ? "/" + attributes.path("subresource").asText() : "");
            String verb = attributes.path("verb").asText();
            String namespace = attributes.path("namespace").asText("");
            allowed = "osiris.io".equals(attributes.path("group").asText())
                    && (granted.contains(verb + " " + resource + " *")
                    || (!namespace.isEmpty() && granted.contains(verb + " " + resource + " " + namespace)));
        }
        ((ObjectNode) review).putObject("status").put("allowed", allowed);
        return (ObjectNode) review;
    }

    private static MockResponse answer(JsonNode body) {
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    @Override
    public void close() {
        stop();
    }
}
