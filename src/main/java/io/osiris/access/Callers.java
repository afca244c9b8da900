package io.osiris.access;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling and what it may do, by {@code osiris.auth.mode}: the Kubernetes API (TokenReview,
 * SubjectAccessReview), the tokens file, or nobody (mode none). No exchange, no audit: {@link AccessControl} asks
 * this for the routes, the servlet filters and the gRPC interceptor ask it directly.
 */
public class Callers {

    private static final Logger LOG = LoggerFactory.getLogger(Callers.class);

    private final AuthProperties properties;
    private final KubernetesReviews kubernetes;
    private final TokenFile tokens;

    Callers(AuthProperties properties, KubernetesReviews kubernetes) {
        this.properties = properties;
        this.kubernetes = kubernetes;
        this.tokens = properties.tokens() ? tokenFile(properties) : null;
        if (!properties.enabled()) {
            LOG.warn("osiris.auth.mode=none: every caller may read, write and delete every namespace's logs. "
                    + "For development only.");
        }
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** Who presented these credentials; 401 ({@link ErrorKind#UNAUTHENTICATED}) when nobody we trust. */
    public Identity authenticate(Credentials credentials) {
        if (!properties.enabled()) {
            return Identity.ANONYMOUS;
        }
        Optional<Identity> identity = identify(credentials);
        if (identity.isPresent()) {
            return identity.get();
        }
        String reason = credentials.bearerToken() != null ? "the bearer token is not valid (unknown, expired or revoked)"
                : credentials.clientSubject() != null ? "the client certificate '" + credentials.clientSubject()
                        + "' is not mapped to an identity"
                : "authentication required: send Authorization: Bearer <token>";
        throw new OsirisException(ErrorKind.UNAUTHENTICATED, null, reason);
    }

    private Optional<Identity> identify(Credentials credentials) {
        String token = credentials.bearerToken();
        if (token != null) {
            OsirisException clusterFailure = null;
            if (properties.kubernetes()) {
                try {
                    Optional<Identity> user = kubernetes.review(token);
                    if (user.isPresent()) {
                        return user;
                    }
                } catch (OsirisException e) {
                    clusterFailure = e; // an observer's own token may still be in the file
                }
            }
            Optional<Identity> entry = tokens != null ? tokens.byToken(token) : Optional.empty();
            if (entry.isEmpty() && clusterFailure != null) {
                throw clusterFailure;
            }
            return entry;
        }
        if (credentials.clientSubject() != null && tokens != null) {
            return tokens.bySubject(credentials.clientSubject());
        }
        return Optional.empty();
    }

    /** Whether the identity holds the permission (no audit, no exception). */
    public boolean allows(Identity identity, Access access) {
        return switch (identity.source()) {
            case ANONYMOUS -> !properties.enabled();
            case KUBERNETES -> kubernetes.allows(identity, access);
            case TOKEN, CERTIFICATE -> tokens != null && tokens.allows(identity, access);
        };
    }

    /** Whether the identity may read the metrics: {@code get} on the path {@code /metrics}, as Prometheus is granted. */
    /** The one cluster a caller is scoped to (a tokens-file entry with exactly one cluster), if it is. */
    public Optional<String> onlyCluster(Identity identity) {
        return switch (identity.source()) {
            case TOKEN, CERTIFICATE -> tokens != null ? tokens.onlyCluster(identity) : Optional.empty();
            default -> Optional.empty();
        };
    }

    public boolean allowsMetrics(Identity identity) {
        return switch (identity.source()) {
            case ANONYMOUS -> !properties.enabled();
            case KUBERNETES -> kubernetes.allowsPath(identity, "/metrics");
            case TOKEN, CERTIFICATE -> tokens != null && tokens.allowsMetrics(identity);
        };
    }

    private static TokenFile tokenFile(AuthProperties properties) {
        if (properties.tokensFile() == null) {
            throw new IllegalStateException("osiris.auth.mode includes tokens: set osiris.auth.tokens-file");
        }
        return new TokenFile(properties.tokensFile(), properties.tokensReload(), Clock.systemUTC());
    }
}
