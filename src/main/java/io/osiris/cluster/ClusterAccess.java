package io.osiris.cluster;

/**
 * How Osiris reaches a registered cluster: its API URL and CA, and its credentials, a service account token or a
 * kubeconfig. Given as values (registered through the API, kept in a Secret or the encrypted file) or as files
 * (registered by configuration, e.g. a mounted Secret; a token file is read again on every request, so a rotated
 * token is used as soon as it is there). The home cluster needs none: in-cluster service account or kubeconfig.
 */
public record ClusterAccess(String apiUrl, String caCert, String caFile, String token, String tokenFile,
                            String kubeconfig, String kubeconfigFile) {

    /** Blank values (an empty setting, an empty JSON string) are absent ones. */
    public ClusterAccess {
        apiUrl = blankToNull(apiUrl);
        caCert = blankToNull(caCert);
        caFile = blankToNull(caFile);
        token = blankToNull(token);
        tokenFile = blankToNull(tokenFile);
        kubeconfig = blankToNull(kubeconfig);
        kubeconfigFile = blankToNull(kubeconfigFile);
    }

    /** The cluster Osiris runs in, reached as fabric8 finds it (in-cluster service account, else kubeconfig). */
    public static final ClusterAccess IN_CLUSTER = new ClusterAccess(null, null, null, null, null, null, null);

    public boolean inCluster() {
        return equals(IN_CLUSTER);
    }

    /** Which kind of credentials it holds, never the credentials: what the API shows. */
    public String credentialsKind() {
        if (inCluster()) {
            return "in-cluster";
        }
        return kubeconfig != null || kubeconfigFile != null ? "kubeconfig" : "token";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return "ClusterAccess[" + apiUrl + ", " + credentialsKind() + "]"; // never the secrets
    }
}
