package io.osiris.records;

import io.osiris.error.OsirisException;
import java.util.regex.Pattern;

/**
 * Validates the names that become parts of storage keys. Kubernetes rules (DNS-1123) also shut out every path
 * trick: no '/', no '..', no '%', no upper case.
 */
public final class BuildNames {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern NAME_CHARACTERS = Pattern.compile("[a-z0-9][-a-z0-9.]*");
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}");

    private BuildNames() {
    }

    public static BuildRef ref(String cluster, String namespace, String name, String uid) {
        return new BuildRef(cluster(cluster), namespace(namespace), name(name), uid(uid));
    }

    /** A registered cluster's name: a DNS-1123 label, as it becomes a part of storage keys. */
    public static String cluster(String cluster) {
        if (cluster == null || cluster.isEmpty()) {
            throw OsirisException.badRequest("cluster", "cluster is required");
        }
        if (cluster.length() > 63 || !DNS1123_LABEL.matcher(cluster).matches()) {
            throw OsirisException.badRequest("cluster", "cluster '" + printable(cluster)
                    + "' is not a valid cluster name (DNS-1123 label: at most 63 of a-z, 0-9, '-')");
        }
        return cluster;
    }

    public static String namespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw OsirisException.badRequest("namespace", "namespace is required");
        }
        if (namespace.length() > 63 || !DNS1123_LABEL.matcher(namespace).matches()) {
            throw OsirisException.badRequest("namespace", "namespace '" + printable(namespace)
                    + "' is not a valid Kubernetes namespace (DNS-1123 label: at most 63 of a-z, 0-9, '-')");
        }
        return namespace;
    }

    public static String name(String name) {
        if (name == null || name.isEmpty()) {
            throw OsirisException.badRequest("name", "build name is required");
        }
        if (name.length() > 253 || !isSubdomain(name)) {
            throw OsirisException.badRequest("name", "build name '" + printable(name)
                    + "' is not a valid Kubernetes name (DNS-1123 subdomain: at most 253 of a-z, 0-9, '-', '.')");
        }
        return name;
    }

    public static String uid(String uid) {
        if (uid == null || uid.isEmpty()) {
            return null;
        }
        if (!UID.matcher(uid).matches()) {
            throw OsirisException.badRequest("uid", "uid '" + printable(uid) + "' is not a valid Kubernetes uid");
        }
        return uid;
    }

    /** A name prefix filter: empty means none; otherwise only characters a build name may hold. */
    public static String namePrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return null;
        }
        if (prefix.length() > 253 || !NAME_CHARACTERS.matcher(prefix).matches()) {
            throw OsirisException.badRequest("namePrefix", "namePrefix '" + printable(prefix)
                    + "' cannot start a Kubernetes name (at most 253 of a-z, 0-9, '-', '.')");
        }
        return prefix;
    }

    private static boolean isSubdomain(String name) {
        for (String label : name.split("\\.", -1)) {
            if (!DNS1123_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** Echo user input in errors without control characters or unbounded length. */
    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
