package io.osiris.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.osiris.error.OsirisException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Makes the fabric8 clients of a registered cluster: the one that watches and reads logs, and a quick probe. */
final class ClusterClients {

    static final int PROBE_TIMEOUT_MILLIS = 3000;

    private ClusterClients() {
    }

    /** The config of a registration; {@code home} is the home cluster's (in-cluster or kubeconfig) config. */
    static Config config(ClusterAccess access, Config home) {
        if (access.inCluster()) {
            return home;
        }
        if (access.kubeconfig() != null) {
            return Config.fromKubeconfig(access.kubeconfig());
        }
        if (access.kubeconfigFile() != null) {
            return Config.fromKubeconfig(read(access.kubeconfigFile()));
        }
        ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(access.apiUrl());
        if (access.caCert() != null) {
            config.withCaCertData(Base64.getEncoder().encodeToString(
                    access.caCert().getBytes(StandardCharsets.UTF_8)));
        } else if (access.caFile() != null) {
            config.withCaCertFile(access.caFile());
        }
        Config built = config.build();
        if (access.tokenFile() != null) {
            Path file = Path.of(access.tokenFile());
            built.setOauthTokenProvider(() -> read(file.toString()).strip()); // a rotated token is read again
        } else {
            built.setOauthToken(access.token());
        }
        return built;
    }

    static KubernetesClient client(Config config, WatchReconnects reconnects) {
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor("osiris-watch-reconnects",
                        reconnects))
                .build();
    }

    /** A client that neither retries nor waits long, so a probe answers within its timeout while the API is away. */
    static KubernetesClient probe(Config config) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(config)
                .withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(PROBE_TIMEOUT_MILLIS)
                .withRequestTimeout(PROBE_TIMEOUT_MILLIS)
                .build()).build();
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static boolean isHttpsUrl(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            return "https".equals(uri.getScheme()) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean holdsCertificates(String pem) {
        try {
            return !java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))
                    .isEmpty();
        } catch (java.security.cert.CertificateException e) {
            return false;
        }
    }

    /** A registration's access is checked before it is kept: a URL and exactly one kind of credentials. */
    static void validate(ClusterAccess access) {
        boolean kubeconfig = access.kubeconfig() != null || access.kubeconfigFile() != null;
        boolean token = access.token() != null || access.tokenFile() != null;
        if (kubeconfig == token) {
            throw OsirisException.badRequest("credentials",
                    "a cluster needs exactly one of: a service account token, a kubeconfig");
        }
        if (token && access.apiUrl() == null) {
            throw OsirisException.badRequest("apiUrl", "a cluster reached with a token needs its apiUrl");
        }
        if (access.apiUrl() != null && !isHttpsUrl(access.apiUrl())) {
            throw OsirisException.badRequest("apiUrl", "apiUrl must be an https:// URL");
        }
        if (access.caCert() != null && !holdsCertificates(access.caCert())) {
            throw OsirisException.badRequest("caCert", "caCert must be one or more PEM certificates "
                    + "(-----BEGIN CERTIFICATE-----)");
        }
        if (access.token() != null && !access.token().chars().allMatch(c -> c > ' ' && c < 127)) {
            throw OsirisException.badRequest("token", "the token must be one word of printable ASCII characters");
        }
        if (access.kubeconfig() != null) {
            try {
                Config.fromKubeconfig(access.kubeconfig());
            } catch (RuntimeException e) {
                // the parser's message may quote the kubeconfig: not echoed
                throw OsirisException.badRequest("kubeconfig", "the kubeconfig cannot be read as a kubeconfig "
                        + "with a current context");
            }
        }
    }
}
