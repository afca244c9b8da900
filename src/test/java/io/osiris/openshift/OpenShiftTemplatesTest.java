package io.osiris.openshift;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.openshift.api.model.BuildConfig;
import io.fabric8.openshift.api.model.ImageStream;
import io.fabric8.openshift.api.model.Parameter;
import io.fabric8.openshift.api.model.Route;
import io.fabric8.openshift.api.model.Template;
import io.fabric8.openshift.client.OpenShiftClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The templates in openshift/ process (as {@code oc process} would, with fabric8's local processing) into valid
 * Kubernetes objects that are wired together: labels and selectors, named ports, Secret keys, probe paths,
 * RBAC subjects, and environment variables that the service actually reads.
 */
class OpenShiftTemplatesTest {

    private static final Path OPENSHIFT = Path.of("openshift");
    private final OpenShiftClient client = new KubernetesClientBuilder().build().adapt(OpenShiftClient.class);

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void everyParameterIsDescribedAndEveryUseIsDeclared() throws IOException {
        for (String file : List.of("osiris.yaml", "osiris-watch-namespace.yaml", "osiris-watch-cluster.yaml",
                "osiris-build.yaml", "osiris-team-access.yaml")) {
            Template template = load(file);
            Set<String> declared = template.getParameters().stream().map(Parameter::getName)
                    .collect(Collectors.toSet());
            assertThat(template.getParameters()).as(file).allSatisfy(p ->
                    assertThat(p.getDescription()).as(p.getName()).isNotBlank());
            Matcher uses = Pattern.compile("\\$\\{\\{?([A-Z_]+)}}?").matcher(Files.readString(OPENSHIFT.resolve(file)));
            while (uses.find()) {
                assertThat(declared).as(file).contains(uses.group(1));
            }
        }
        assertThat(load("osiris.yaml").getParameters()).extracting(Parameter::getName).contains("S3_ENDPOINT",
                "S3_BUCKET", "S3_KEY_PREFIX", "S3_ACCESS_KEY", "S3_SECRET_KEY", "WATCH_NAMESPACES", "REPLICAS", "DB_URL",
                "DB_USER", "DB_PASSWORD");
    }

    @Test
    void theServiceTemplateWiresDeploymentSecretServicesAndRoutes() throws IOException {
        KubernetesList objects = process("osiris.yaml", Map.of("NAMESPACE", "osiris", "REPLICAS", "3",
                "S3_ENDPOINT", "http://rgw.ceph.svc", "S3_ACCESS_KEY", "access", "S3_SECRET_KEY", "secret",
                "WATCH_NAMESPACES", "team-a,team-b", "DB_URL", "jdbc:postgresql://pg.osiris.svc:5432/osiris",
                "DB_PASSWORD", "db-secret"));
        assertThat(objects.getItems()).allSatisfy(o -> {
            if (!(o instanceof ClusterRoleBinding)) {
                assertThat(o.getMetadata().getNamespace()).isEqualTo("osiris");
            }
            assertThat(o.getMetadata().getLabels()).containsEntry("app", "osiris");
        });

        Deployment deployment = one(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container osiris = pod.getContainers().get(0);
        assertThat(osiris.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(osiris.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(osiris.getResources().getLimits()).containsKey("memory");
        assertThat(osiris.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(osiris.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(osiris.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        Map<String, Integer> ports = osiris.getPorts().stream()
                .collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort()));
        assertThat(ports).containsEntry("http", 8080).containsEntry("grpc", 9090).containsEntry("management", 9000);
        // probes and metrics on the management port, which no Route publishes
        for (var probe : List.of(osiris.getStartupProbe(), osiris.getLivenessProbe(), osiris.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
        }
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", "9000");

        // every variable is one the service reads; the credentials come from the Secret, never a plain value
        String settings = Files.readString(Path.of("src/main/resources/application.yaml"));
        for (EnvVar env : osiris.getEnv()) {
            if (env.getName().startsWith("OSIRIS_")) {
                assertThat(settings).as(env.getName()).contains("${" + env.getName() + ":");
            }
        }
        Map<String, EnvVar> env = osiris.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(env.get("OSIRIS_S3_ENDPOINT").getValue()).isEqualTo("http://rgw.ceph.svc");
        assertThat(env.get("OSIRIS_CLUSTER_NAMESPACES").getValue()).isEqualTo("team-a,team-b");
        // secure by default: callers authenticate; the service listens beyond loopback only because of that
        assertThat(env.get("OSIRIS_AUTH_MODE").getValue()).isEqualTo("kubernetes");
        assertThat(env.get("OSIRIS_HTTP_ADDRESS").getValue()).isEqualTo("0.0.0.0");
        assertThat(env.get("MANAGEMENT_SERVER_PORT").getValue()).isEqualTo("9000");
        var tokens = pod.getVolumes().stream().filter(v -> v.getName().equals("tokens")).findFirst().orElseThrow();
        assertThat(tokens.getSecret().getOptional()).isTrue();
        String tokensMount = osiris.getVolumeMounts().stream().filter(m -> m.getName().equals("tokens"))
                .findFirst().orElseThrow().getMountPath();
        assertThat(env.get("OSIRIS_AUTH_TOKENS_FILE").getValue()).startsWith(tokensMount + "/");
        ClusterRoleBinding delegator = one(objects, ClusterRoleBinding.class);
        assertThat(delegator.getRoleRef().getName()).isEqualTo("system:auth-delegator");
        assertThat(delegator.getSubjects().get(0).getName()).isEqualTo("osiris");
        assertThat(delegator.getSubjects().get(0).getNamespace()).isEqualTo("osiris");
        Secret secret = named(objects, Secret.class, "osiris-s3");
        for (String name : List.of("OSIRIS_S3_ACCESS_KEY", "OSIRIS_S3_SECRET_KEY")) {
            var ref = env.get(name).getValueFrom().getSecretKeyRef();
            assertThat(ref.getName()).isEqualTo(secret.getMetadata().getName());
            assertThat(secret.getStringData()).containsKey(ref.getKey());
        }
        assertThat(secret.getStringData()).containsEntry("access-key", "access").containsEntry("secret-key", "secret");
        // every replica shares one PostgreSQL database; its credentials come from a Secret too
        assertThat(env.get("OSIRIS_DB_URL").getValue()).isEqualTo("jdbc:postgresql://pg.osiris.svc:5432/osiris");
        Secret database = named(objects, Secret.class, "osiris-db");
        for (String name : List.of("OSIRIS_DB_USER", "OSIRIS_DB_PASSWORD")) {
            var ref = env.get(name).getValueFrom().getSecretKeyRef();
            assertThat(ref.getName()).isEqualTo("osiris-db");
            assertThat(database.getStringData()).containsKey(ref.getKey());
        }
        assertThat(database.getStringData()).containsEntry("password", "db-secret").containsEntry("user", "osiris");

        // the gRPC certificate: a Secret issued for the gRPC Service, mounted where the variables point
        Service grpc = named(objects, Service.class, "osiris-grpc");
        // mutual TLS is off unless asked for; its CA comes from an optional Secret mounted where the parameter says
        assertThat(env.get("OSIRIS_GRPC_TLS_CLIENT_CA").getValue()).isEmpty();
        var clientCa = pod.getVolumes().stream().filter(v -> v.getName().equals("grpc-client-ca")).findFirst()
                .orElseThrow();
        assertThat(clientCa.getSecret().getOptional()).isTrue();
        assertThat(osiris.getVolumeMounts()).anyMatch(m -> m.getName().equals("grpc-client-ca")
                && m.getMountPath().equals("/etc/osiris/grpc-client-ca"));
        String tlsSecret = grpc.getMetadata().getAnnotations().get("service.beta.openshift.io/serving-cert-secret-name");
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals("grpc-tls")).findFirst().orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo(tlsSecret);
        String mount = osiris.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
                .findFirst().orElseThrow().getMountPath();
        assertThat(env.get("OSIRIS_GRPC_TLS_CERT").getValue()).isEqualTo(mount + "/tls.crt");
        assertThat(env.get("OSIRIS_GRPC_TLS_KEY").getValue()).isEqualTo(mount + "/tls.key");

        // Services select the pods and target the named ports; Routes: edge TLS for HTTP, passthrough for gRPC
        for (Service service : all(objects, Service.class)) {
            assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
            assertThat(ports).containsKey(service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        }
        assertThat(all(objects, Route.class)).noneMatch(r -> r.getSpec().getTo().getName().equals("osiris-metrics"));
        assertThat(named(objects, Service.class, "osiris-metrics").getSpec().getPorts().get(0).getTargetPort()
                .getStrVal()).isEqualTo("management");
        Route http = named(objects, Route.class, "osiris");
        assertThat(http.getSpec().getTo().getName()).isEqualTo("osiris");
        assertThat(http.getSpec().getTls().getTermination()).isEqualTo("edge");
        assertThat(http.getSpec().getPort().getTargetPort().getStrVal()).isEqualTo("http");
        Route grpcRoute = named(objects, Route.class, "osiris-grpc");
        assertThat(grpcRoute.getSpec().getTo().getName()).isEqualTo(grpc.getMetadata().getName());
        assertThat(grpcRoute.getSpec().getTls().getTermination()).isEqualTo("passthrough");

        // the election: the Leases in Osiris' namespace; the cluster registrations: Secrets there; each Role bound to
        // its ServiceAccount and granting nothing else
        Role election = named(objects, Role.class, "osiris-leader-election");
        assertThat(rules(election.getRules())).contains("coordination.k8s.io/leases:create",
                "coordination.k8s.io/leases:update", "coordination.k8s.io/leases:delete")
                .allMatch(r -> r.startsWith("coordination.k8s.io/leases:"));
        Role registrations = named(objects, Role.class, "osiris-cluster-registrations");
        assertThat(rules(registrations.getRules())).contains("/secrets:create", "/secrets:watch")
                .allMatch(r -> r.startsWith("/secrets:"));
        for (Role role : List.of(election, registrations)) {
            RoleBinding binding = named(objects, RoleBinding.class, role.getMetadata().getName());
            assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
            assertThat(binding.getSubjects().get(0).getName()).isEqualTo("osiris");
        }
        assertThat(env.get("OSIRIS_CLUSTERS_STORE").getValue()).isEqualTo("secret");
    }

    @Test
    void theWatcherGetsReadAccessToBuildsAndLogsPerNamespaceOrClusterWide() throws IOException {
        KubernetesList namespaced = process("osiris-watch-namespace.yaml",
                Map.of("NAMESPACE", "osiris", "WATCH_NAMESPACE", "team-a"));
        Role reader = one(namespaced, Role.class);
        assertThat(reader.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(rules(reader.getRules())).containsExactlyInAnyOrder(
                "build.openshift.io/builds:get", "build.openshift.io/builds:list", "build.openshift.io/builds:watch",
                "build.openshift.io/builds/log:get", "/pods:get", "/pods:list", "/pods:watch", "/pods/log:get");
        RoleBinding binding = one(namespaced, RoleBinding.class);
        assertThat(binding.getSubjects().get(0).getNamespace()).isEqualTo("osiris");
        assertThat(binding.getSubjects().get(0).getKind()).isEqualTo("ServiceAccount");

        KubernetesList clusterWide = process("osiris-watch-cluster.yaml", Map.of("NAMESPACE", "osiris"));
        ClusterRole role = one(clusterWide, ClusterRole.class);
        assertThat(rules(role.getRules())).isEqualTo(rules(reader.getRules()));
        ClusterRoleBinding clusterBinding = one(clusterWide, ClusterRoleBinding.class);
        assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(clusterBinding.getSubjects().get(0).getName()).isEqualTo("osiris");
    }

    @Test
    void aTeamGetsReaderAndWriterRolesOnOsirisBuildsAndAnObserverAccount() throws IOException {
        KubernetesList objects = process("osiris-team-access.yaml", Map.of("NAMESPACE", "team-a"));
        assertThat(objects.getItems()).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("team-a"));
        assertThat(rules(named(objects, Role.class, "osiris-build-log-reader").getRules())).containsExactlyInAnyOrder(
                "osiris.io/builds:get", "osiris.io/builds:list", "osiris.io/builds/log:get", "osiris.io/builds/log:list");
        assertThat(rules(named(objects, Role.class, "osiris-build-log-writer").getRules())).containsExactlyInAnyOrder(
                "osiris.io/builds:get", "osiris.io/builds:list", "osiris.io/builds:create", "osiris.io/builds:update",
                "osiris.io/builds/log:get", "osiris.io/builds/log:list", "osiris.io/builds/log:create",
                "osiris.io/builds/log:update");
        RoleBinding observer = one(objects, RoleBinding.class);
        assertThat(observer.getRoleRef().getName()).isEqualTo("osiris-build-log-writer");
        assertThat(observer.getSubjects().get(0).getName())
                .isEqualTo(one(objects, ServiceAccount.class).getMetadata().getName());
    }

    @Test
    void theBuildTemplateBuildsTheContainerfile() throws IOException {
        KubernetesList objects = process("osiris-build.yaml", Map.of("NAMESPACE", "osiris",
                "GIT_URL", "https://git.example/osiris.git"));
        BuildConfig build = one(objects, BuildConfig.class);
        String containerfile = build.getSpec().getStrategy().getDockerStrategy().getDockerfilePath();
        assertThat(Path.of(containerfile)).exists();
        assertThat(Files.readString(Path.of(containerfile))).contains("USER 185").contains("EXPOSE 8080 9090");
        assertThat(build.getSpec().getOutput().getTo().getName())
                .startsWith(one(objects, ImageStream.class).getMetadata().getName() + ":");
    }

    private Template load(String file) throws IOException {
        try (InputStream in = Files.newInputStream(OPENSHIFT.resolve(file))) {
            return client.templates().load(in).item();
        }
    }

    private KubernetesList process(String file, Map<String, String> parameters) throws IOException {
        try (InputStream in = Files.newInputStream(OPENSHIFT.resolve(file))) {
            KubernetesList list = client.templates().load(in).processLocally(parameters);
            assertThat(list.getItems()).as(file).isNotEmpty()
                    .allSatisfy(o -> assertThat(o.getClass().getPackageName()).as(o.getKind())
                            .startsWith("io.fabric8.").doesNotContain("GenericKubernetesResource"));
            return list;
        }
    }

    private static <T extends HasMetadata> List<T> all(KubernetesList list, Class<T> type) {
        return list.getItems().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T one(KubernetesList list, Class<T> type) {
        List<T> found = all(list, type);
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static <T extends HasMetadata> T named(KubernetesList list, Class<T> type, String name) {
        return all(list, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    /** Rules as group/resource:verb strings. */
    private static List<String> rules(List<PolicyRule> rules) {
        return rules.stream().flatMap(r -> r.getApiGroups().stream().flatMap(g -> r.getResources().stream()
                .flatMap(res -> r.getVerbs().stream().map(v -> g + "/" + res + ":" + v)))).sorted().toList();
    }
}
