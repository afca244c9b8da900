package io.osiris.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.openshift.client.OpenShiftClient;
import io.osiris.support.OsirisClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The access-control suite against a real kube-apiserver with RBAC on (scripts/kube-dev.sh start): the permissions
 * are real Roles, RoleBindings and ClusterRoles, and Osiris' own identity holds only what the OpenShift template
 * gives it (system:auth-delegator). It also applies the template's team Roles (osiris-team-access.yaml) and checks
 * that they grant what their names say.
 */
class AccessControlKubeIT extends AccessControlContract {

    private final String api = required("OSIRIS_KUBE_API");
    private final KubernetesClient admin = client(required("OSIRIS_KUBE_ADMIN_TOKEN"));

    AccessControlKubeIT() {
        for (String namespace : List.of("team-a", "team-b", "team-c")) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).serverSideApply();
        }
        // Osiris itself: only what the template's ClusterRoleBinding grants
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName("osiris-auth-delegator").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "system:auth-delegator")
                .addNewSubject().withKind("User").withName("osiris").withApiGroup("rbac.authorization.k8s.io")
                .endSubject().build()).serverSideApply();
    }

    @AfterAll
    void closeAdmin() {
        admin.close();
    }

    @Override
    protected void grant(String user, String namespace, List<String> verbs) {
        String name = "osiris-test-" + user;
        var rule = new io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder().withApiGroups("osiris.io")
                .withResources(RESOURCES).withVerbs(verbs).build();
        if (namespace == null) {
            admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name)
                    .endMetadata().withRules(rule).build()).serverSideApply();
            admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                    .withName(name).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                    .addNewSubject().withKind("User").withName(user).withApiGroup("rbac.authorization.k8s.io")
                    .endSubject().build()).serverSideApply();
        } else {
            admin.rbac().roles().inNamespace(namespace).resource(new RoleBuilder().withNewMetadata().withName(name)
                    .endMetadata().withRules(rule).build()).serverSideApply();
            bind(namespace, "Role", name, user);
        }
    }

    @Override
    protected void grantMetrics(String user) {
        String name = "osiris-test-metrics-" + user;
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
                .addNewRule().withNonResourceURLs("/metrics").withVerbs("get").endRule().build()).serverSideApply();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                .withName(name).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", name)
                .addNewSubject().withKind("User").withName(user).withApiGroup("rbac.authorization.k8s.io")
                .endSubject().build()).serverSideApply();
    }

    @Override
    protected void user(String user) {
        // static tokens of scripts/kube-dev.sh: every user exists
    }

    @Override
    protected Config osirisIdentity() {
        return config("token-osiris");
    }

    @Test
    void theTeamRolesOfTheTemplateGrantWhatTheirNamesSay() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("openshift/osiris-team-access.yaml"))) {
            KubernetesList objects = admin.adapt(OpenShiftClient.class).templates().load(in)
                    .processLocally(Map.of("NAMESPACE", "team-c"));
            for (HasMetadata object : objects.getItems()) {
                admin.resource(object).serverSideApply();
            }
        }
        bind("team-c", "Role", "osiris-build-log-reader", "team-reader");
        bind("team-c", "Role", "osiris-build-log-writer", "team-observer");

        OsirisClient observer = as("team-observer");
        assertThat(observer.putJson("/api/v1/namespaces/team-c/builds/app-c", "{\"phase\":\"Complete\"}")
                .statusCode()).isEqualTo(200);
        assertThat(observer.putLog("/api/v1/namespaces/team-c/builds/app-c/log", "team c\n").statusCode())
                .isEqualTo(201);
        assertThat(observer.putJson("/build/completed/app-c2", buildObject("app-c2", "team-c", "Complete"))
                .statusCode()).isEqualTo(202);
        assertForbidden(observer.delete("/api/v1/namespaces/team-c/builds/app-c"),
                "'team-observer' may not delete on osiris.io builds in namespace team-c");
        assertForbidden(observer.putJson("/api/v1/namespaces/team-a/builds/app-c", "{\"phase\":\"Complete\"}"),
                "in namespace team-a");

        OsirisClient reader = as("team-reader");
        assertThat(reader.get("/api/v1/namespaces/team-c/builds/app-c/log").body()).isEqualTo("team c\n");
        assertThat(reader.get("/api/v1/namespaces/team-c/builds").body()).contains("app-c2");
        assertForbidden(reader.putLog("/api/v1/namespaces/team-c/builds/app-c/log", "overwritten\n"),
                "'team-reader' may not create on osiris.io builds/log in namespace team-c");
        assertForbidden(reader.get("/api/v1/namespaces/team-a/builds/app-1"), "in namespace team-a");
        assertThat(reader.get("/api/v1/namespaces/team-c/builds/app-c/log").body()).isEqualTo("team c\n");
    }

    private void bind(String namespace, String kind, String role, String user) {
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata()
                .withName(role + "-" + user).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", kind, role)
                .addNewSubject().withKind("User").withName(user).withApiGroup("rbac.authorization.k8s.io")
                .endSubject().build()).serverSideApply();
    }

    private KubernetesClient client(String token) {
        return new KubernetesClientBuilder().withConfig(config(token)).build();
    }

    private Config config(String token) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(api).withOauthToken(token).withTrustCerts(true)
                .withDisableHostnameVerification(true).withRequestRetryBackoffLimit(0).build();
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run scripts/kube-dev.sh start and source its env");
        }
        return value;
    }
}
