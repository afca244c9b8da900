package io.osiris.access;

import java.util.Locale;

/**
 * One permission asked for: a verb on Osiris' {@code builds} or {@code builds/log} in a namespace, or at cluster
 * scope when the namespace is null. These are the names RBAC Roles grant (API group {@code osiris.io}).
 * {@code cluster} is the registered cluster the build belongs to, null when the request spans every cluster (a list
 * without {@code ?cluster=}) or concerns none (cluster registrations): tokens scoped to clusters are checked on it;
 * Kubernetes RBAC (in the home cluster) grants by namespace, in every cluster alike.
 */
public record Access(Verb verb, Resource resource, String namespace, String name, String cluster) {

    public Access(Verb verb, Resource resource, String namespace, String name) {
        this(verb, resource, namespace, name, null);
    }

    public static final String API_GROUP = "osiris.io";
    /** The namespace of a call refused before its namespace was known (audit only). */
    public static final String UNKNOWN_NAMESPACE = "?";

    public enum Verb {
        GET, LIST, CREATE, UPDATE, DELETE;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean writes() {
            return this == CREATE || this == UPDATE || this == DELETE;
        }
    }

    public enum Resource {
        BUILDS("builds", null), BUILD_LOGS("builds", "log"), BUILD_HOLDS("builds", "legalhold"),
        /** The cluster registrations (/api/v1/clusters): only ever at cluster scope. */
        CLUSTERS("clusters", null);

        private final String resource;
        private final String subresource;

        Resource(String resource, String subresource) {
            this.resource = resource;
            this.subresource = subresource;
        }

        public String resource() {
            return resource;
        }

        public String subresource() {
            return subresource;
        }

        /** As RBAC writes it: {@code builds} or {@code builds/log}. */
        public String value() {
            return subresource == null ? resource : resource + "/" + subresource;
        }
    }

    public boolean clusterScope() {
        return namespace == null;
    }

    /** "create on osiris.io builds/log in namespace team-a", for error messages and the audit log. */
    public String describe() {
        return verb.value() + " on " + API_GROUP + " " + resource.value()
                + (clusterScope() ? " at cluster scope (all namespaces)" : " in namespace " + namespace)
                + (cluster != null ? " of cluster " + cluster : "");
    }
}
