package io.osiris.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.osiris.support.Await;
import io.osiris.support.KubernetesAuthMock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The access-control suite against the fabric8 mock server, which answers TokenReview and SubjectAccessReview from
 * a table; plus what only a test double can show: how many reviews reach the API, and decisions expiring.
 */
class AccessControlTest extends AccessControlContract {

    private final KubernetesAuthMock kube = new KubernetesAuthMock();

    @AfterAll
    void stopKube() {
        kube.close();
    }

    @Override
    protected void grant(String user, String namespace, List<String> verbs) {
        kube.grant(user, namespace, verbs, RESOURCES);
    }

    @Override
    protected void grantMetrics(String user) {
        kube.grantPath(user, "/metrics");
    }

    @Override
    protected void user(String user) {
        kube.user(user);
    }

    @Override
    protected Config osirisIdentity() {
        return kube.config();
    }

    @Override
    protected List<String> settings() {
        return List.of("--osiris.auth.cache.allowed=2s", "--osiris.auth.cache.denied=2s");
    }

    @Test
    void aBusyCallerCostsNoReviewPerRequestAndDecisionsExpire() throws Exception {
        grant("cached-a", "team-a", READ);
        assertThat(as("cached-a").get("/api/v1/namespaces/team-a/builds/app-1").statusCode()).isEqualTo(200);
        int tokens = kube.tokenReviews();
        int reviews = kube.accessReviews();
        for (int i = 0; i < 20; i++) {
            assertThat(as("cached-a").get("/api/v1/namespaces/team-a/builds/app-1").statusCode()).isEqualTo(200);
        }
        assertThat(kube.tokenReviews()).isEqualTo(tokens);
        assertThat(kube.accessReviews()).isEqualTo(reviews);

        kube.revoke("cached-a"); // a RoleBinding removed: believed for at most the cache time
        assertThat(as("cached-a").get("/api/v1/namespaces/team-a/builds/app-1").statusCode()).isEqualTo(200);
        Await.value(Duration.ofSeconds(10),
                () -> as("cached-a").get("/api/v1/namespaces/team-a/builds/app-1").statusCode() == 403 ? true : null);

        grant("cached-a", "team-a", READ); // a refusal is believed only as long
        Await.value(Duration.ofSeconds(10),
                () -> as("cached-a").get("/api/v1/namespaces/team-a/builds/app-1").statusCode() == 200 ? true : null);
    }

    @Test
    void theKubernetesApiAwayIs503NeverA401Or403() {
        kube.stop();
        try {
            assertThat(as("never-seen").get("/api/v1/namespaces/team-a/builds/app-1").statusCode()).isEqualTo(503);
        } finally {
            kube.restart();
        }
    }
}
