package io.osiris.cluster;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.clusters.*}: clusters watched besides the home cluster ({@code osiris.cluster.*}).
 *
 * @param registrations clusters registered by configuration, their credentials in files (e.g. a mounted Secret)
 * @param store         where registrations made through the API are kept: {@code secret} (one Kubernetes Secret
 *                      per cluster in Osiris' namespace, needs the home cluster) or {@code file} (encrypted, under
 *                      {@code directory})
 * @param directory     the file store's folder
 * @param keyFile       the file store's AES-256 key (created, readable by the owner only, when missing); keep it
 *                      apart from backups of {@code directory}
 * @param secretNamespace namespace of the Secrets (default: Osiris' own, osiris.cluster.lease-namespace)
 * @param max           registered clusters at most (each costs its clients, informers and a Lease)
 */
@Validated
@ConfigurationProperties("osiris.clusters")
public record ClustersProperties(
        @Valid @DefaultValue List<Registration> registrations,
        @NotNull @DefaultValue("file") Store store,
        @NotNull @DefaultValue("data/clusters") Path directory,
        @DefaultValue("") String keyFile,
        @DefaultValue("") String secretNamespace,
        @jakarta.validation.constraints.Min(1) @DefaultValue("100") int max) {

    public enum Store { file, secret }

    /**
     * One cluster registered by configuration.
     *
     * @param name           its name in records, keys and the API (DNS-1123 label)
     * @param apiUrl         its API server (https://)
     * @param caFile         the CA of its API server (PEM); empty: the system's trusted CAs
     * @param tokenFile      a service account token (read again on every request, so a rotated token is used)
     * @param kubeconfigFile a kubeconfig instead of apiUrl, caFile and tokenFile
     * @param source         builds (OpenShift Build objects) or pods (build pods)
     * @param namespaces     namespaces to watch; empty: all
     * @param podSelector    label selector of build pods (source pods)
     * @param podNameLabel   pod label whose value names the build (else the pod name)
     */
    public record Registration(
            @NotBlank String name,
            @DefaultValue("") String apiUrl,
            @DefaultValue("") String caFile,
            @DefaultValue("") String tokenFile,
            @DefaultValue("") String kubeconfigFile,
            @NotNull @DefaultValue("builds") ClusterProperties.Source source,
            @DefaultValue List<String> namespaces,
            @NotBlank @DefaultValue("openshift.io/build.name") String podSelector,
            @NotBlank @DefaultValue("openshift.io/build.name") String podNameLabel) {

        ClusterRegistration registration() {
            return new ClusterRegistration(new WatchTarget(name, source, namespaces, podSelector, podNameLabel),
                    new ClusterAccess(apiUrl, null, caFile, null, tokenFile, null, kubeconfigFile),
                    "configuration");
        }
    }
}
