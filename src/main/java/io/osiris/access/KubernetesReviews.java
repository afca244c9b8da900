package io.osiris.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Asks the Kubernetes API who a token belongs to (TokenReview) and whether that user may do something
 * (SubjectAccessReview), as kube-rbac-proxy and Tekton Results do. Answers are cached, granted ones for
 * {@code osiris.auth.cache.allowed} and refused ones for {@code osiris.auth.cache.denied}, so a busy caller costs no
 * API request per call. Tokens are cached by their SHA-256, never kept in clear.
 */
@Component
class KubernetesReviews implements AutoCloseable {

    /** A review answers in milliseconds; a caller waits no longer than this when the API is away. */
    private static final int TIMEOUT_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesReviews.class);

    private final KubernetesClient client;
    private final Cache<String, Optional<Identity>> tokens;
    private final Cache<Decision, Boolean> decisions;

    private record Decision(String user, String uid, List<String> groups, Map<String, List<String>> extra,
                            String verb, String resource, String subresource, String namespace, String path) {
    }

    /** The shared client is made only when tokens are reviewed by Kubernetes (it loads a lot at start). */
    @Autowired
    KubernetesReviews(ObjectProvider<KubernetesClient> client, AuthProperties properties) {
        this(properties.kubernetes() ? client.getObject() : null, properties);
    }

    KubernetesReviews(KubernetesClient client, AuthProperties properties) {
        // the shared client retries with backoff for many seconds: a request waiting on a review must not
        this.client = client == null ? null : new KubernetesClientBuilder().withConfig(
                new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0)
                        .withConnectionTimeout(TIMEOUT_MILLIS).withRequestTimeout(TIMEOUT_MILLIS).build()).build();
        AuthProperties.Cache cache = properties.cache();
        this.tokens = Caffeine.newBuilder().maximumSize(cache.maxEntries())
                .expireAfter(KubernetesReviews.<Optional<Identity>>expiry(cache, Optional::isPresent)).build();
        this.decisions = Caffeine.newBuilder().maximumSize(cache.maxEntries())
                .expireAfter(KubernetesReviews.<Boolean>expiry(cache, Boolean::booleanValue)).build();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    /** The user of a token, or empty when the API server does not recognise it. */
    Optional<Identity> review(String token) {
        return tokens.get(sha256(token), key -> callApi("TokenReview", () -> {
            TokenReview review = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(token).endSpec().build());
            if (review.getStatus() == null || !Boolean.TRUE.equals(review.getStatus().getAuthenticated())) {
                return Optional.empty();
            }
            UserInfo user = review.getStatus().getUser();
            return Optional.of(new Identity(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra(),
                    Identity.Source.KUBERNETES));
        }));
    }

    boolean allows(Identity identity, Access access) {
        Decision key = new Decision(identity.name(), identity.uid(), identity.groups(), identity.extra(),
                access.verb().value(), access.resource().resource(), access.resource().subresource(),
                access.namespace(), null);
        return decisions.get(key, k -> ask(k));
    }

    /** May the user GET a non-resource path such as {@code /metrics} (what Prometheus' RBAC grants)? */
    boolean allowsPath(Identity identity, String path) {
        Decision key = new Decision(identity.name(), identity.uid(), identity.groups(), identity.extra(), "get",
                null, null, null, path);
        return decisions.get(key, k -> ask(k));
    }

    private boolean ask(Decision d) {
        SubjectAccessReviewBuilder review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(d.user()).withUid(d.uid()).withGroups(d.groups()).withExtra(d.extra()).endSpec();
        if (d.path() != null) {
            review.editSpec().withNewNonResourceAttributes().withPath(d.path()).withVerb(d.verb())
                    .endNonResourceAttributes().endSpec();
        } else {
            review.editSpec().withNewResourceAttributes().withGroup(Access.API_GROUP).withResource(d.resource())
                    .withSubresource(d.subresource()).withVerb(d.verb()).withNamespace(d.namespace())
                    .endResourceAttributes().endSpec();
        }
        return callApi("SubjectAccessReview", () -> {
            SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review.build());
            return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
        });
    }

    /** The API being away, or refusing Osiris itself, is not the caller's fault: 503, never a 401 or 403. */
    private static <T> T callApi(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            LOG.warn("{} failed (code {}): {}", what, e.getCode(), e.getMessage());
            throw new OsirisException(ErrorKind.CLUSTER_UNAVAILABLE,
                    "cannot check the caller's access: the Kubernetes API did not answer the " + what, e);
        }
    }

    private static <V> Expiry<Object, V> expiry(AuthProperties.Cache cache, java.util.function.Predicate<V> granted) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(Object key, V value, long currentTime) {
                return (granted.test(value) ? cache.allowed() : cache.denied()).toNanos();
            }

            @Override
            public long expireAfterUpdate(Object key, V value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(Object key, V value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        };
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
