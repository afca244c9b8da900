package io.osiris.access;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.osiris.records.BuildRef;
import io.osiris.records.BuildQuery;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildRecords;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Who may do what, asked by every door before it spends anything on a request. The routes call one method per kind
 * of operation ({@link #readBuild}, {@link #writeLog}, ...); each finds the caller (the exchange's
 * {@code Authorization: Bearer} header, or the {@link Credentials} a non-HTTP door put in the exchange), the
 * namespace (exchange property {@code buildRef}, or the list query in the body), and throws
 * {@link ErrorKind#UNAUTHENTICATED} or {@link ErrorKind#FORBIDDEN} when the call may not go on. A caller that may
 * not read a namespace learns nothing about what is in it: permissions are checked before any lookup.
 */
public class AccessControl {

    /** Exchange property: the caller, once authenticated. */
    public static final String IDENTITY = "osirisIdentity";

    private final Callers callers;
    private final BuildRecords records;
    private final AuditLog audit;

    AccessControl(Callers callers, BuildRecords records, AuditLog audit) {
        this.callers = callers;
        this.records = records;
        this.audit = audit;
    }

    /** For Camel Main (jbang/osiris-beans.camel.yaml), where Spring does not wire the beans. */
    public static AccessControl create(AuthProperties properties, KubernetesClient client, BuildRecords records,
                                       AuditLog audit) {
        return new AccessControl(new Callers(properties, new KubernetesReviews(client, properties)), records, audit);
    }

    public boolean enabled() {
        return callers.enabled();
    }

    // ---- the checks the routes call

    /** GET of a build's record. */
    public void readBuild(Exchange exchange) {
        require(exchange, Access.Verb.GET, Access.Resource.BUILDS, ref(exchange));
    }

    /** GET of a build's log (also FollowLog). */
    public void readLog(Exchange exchange) {
        require(exchange, Access.Verb.GET, Access.Resource.BUILD_LOGS, ref(exchange));
    }

    /** A log upload, or a request that Osiris fetch the log from the cluster. */
    public void writeLog(Exchange exchange) {
        require(exchange, Access.Verb.CREATE, Access.Resource.BUILD_LOGS, ref(exchange));
    }

    /**
     * A streamed upload whose end is not the end of this exchange (gRPC PutLog: one exchange per message): the
     * audit line says it was allowed to start.
     */
    public void startLogUpload(Exchange exchange) {
        BuildRef ref = ref(exchange);
        Access access = new Access(Access.Verb.CREATE, Access.Resource.BUILD_LOGS, ref.namespace(), ref.name(),
                ref.cluster());
        Identity identity = authenticated(exchange, access);
        if (!callers.allows(identity, access)) {
            refuse(exchange, identity, access);
        }
        if (callers.enabled()) {
            audit.record(identity.name(), access, "allowed", ExchangeCredentials.address(exchange), null);
        }
    }

    public void deleteBuild(Exchange exchange) {
        require(exchange, Access.Verb.DELETE, Access.Resource.BUILDS, ref(exchange));
    }

    /**
     * PUT of build info: {@code create} for a new build, {@code update} for a known one. The record is looked up
     * only for a caller that holds one of the two, so nobody else learns whether the build exists; the audit line
     * says which of the two it was.
     */
    public void writeBuild(Exchange exchange) {
        if (!callers.enabled()) {
            return; // nothing to decide: spare the lookup
        }
        BuildRef ref = ref(exchange);
        Access create = new Access(Access.Verb.CREATE, Access.Resource.BUILDS, ref.namespace(), ref.name(),
                ref.cluster());
        Access update = new Access(Access.Verb.UPDATE, Access.Resource.BUILDS, ref.namespace(), ref.name(),
                ref.cluster());
        Identity identity = authenticated(exchange, create);
        boolean mayCreate = callers.allows(identity, create);
        boolean mayUpdate = callers.allows(identity, update);
        if (!mayCreate && !mayUpdate) {
            refuse(exchange, identity, create);
        }
        boolean exists = records.find(ref).isPresent();
        Access needed = exists ? update : create;
        if (!(exists ? mayUpdate : mayCreate)) {
            refuse(exchange, identity, needed);
        }
        auditWhenDone(exchange, identity, needed);
    }

    /**
     * A list: of one namespace (the query's), or of all of them (cluster scope) when the query names none; of one
     * cluster, or of every cluster when it names none.
     */
    public void listBuilds(Exchange exchange) {
        BuildQuery query = narrowed(exchange);
        require(exchange, Access.Verb.LIST, Access.Resource.BUILDS, query == null ? null : query.namespace(), null,
                query == null ? null : query.cluster());
    }

    /**
     * The exchange's query, over the caller's one cluster when it names none and the caller is scoped to exactly
     * one (an observer's token): such a caller lists and searches where its pushes land. Other queries that name
     * no cluster span every cluster.
     */
    private BuildQuery narrowed(Exchange exchange) {
        BuildQuery query = exchange.getMessage().getBody(BuildQuery.class);
        if (query == null || query.cluster() != null) {
            return query;
        }
        String only = clusterOf(exchange, null, null);
        if (only == null) {
            return query;
        }
        BuildQuery narrowed = query.inCluster(only);
        exchange.getMessage().setBody(narrowed);
        return narrowed;
    }

    /** A list of every namespace's builds (the legacy pages). */
    public void listAllBuilds(Exchange exchange) {
        requireList(exchange, null);
    }

    /** A search across logs: {@code get} on {@code builds/log} in the query's namespace, or at cluster scope. */
    public void searchLogs(Exchange exchange) {
        BuildQuery query = narrowed(exchange);
        require(exchange, Access.Verb.GET, Access.Resource.BUILD_LOGS, query == null ? null : query.namespace(),
                null, query == null ? null : query.cluster());
    }

    /** Placing a legal hold: {@code update} on {@code builds/legalhold}. */
    public void placeHold(Exchange exchange) {
        require(exchange, Access.Verb.UPDATE, Access.Resource.BUILD_HOLDS, ref(exchange));
    }

    /** Releasing a legal hold: {@code delete} on {@code builds/legalhold}. */
    public void releaseHold(Exchange exchange) {
        require(exchange, Access.Verb.DELETE, Access.Resource.BUILD_HOLDS, ref(exchange));
    }

    /** The retention dry run: {@code list} on builds at cluster scope (it names builds of every namespace). */
    public void retentionReport(Exchange exchange) {
        require(exchange, Access.Verb.LIST, Access.Resource.BUILDS, null, null);
    }

    /** A retention pass on request: {@code delete} on builds at cluster scope. */
    public void retentionRun(Exchange exchange) {
        require(exchange, Access.Verb.DELETE, Access.Resource.BUILDS, null, null);
    }

    /** A rebuild of the database from the bucket: {@code update} on builds of every namespace. */
    public void reindex(Exchange exchange) {
        require(exchange, Access.Verb.UPDATE, Access.Resource.BUILDS, null, null);
    }

    /** The cluster registrations: {@code list} on {@code clusters} at cluster scope. */
    public void listClusters(Exchange exchange) {
        require(exchange, Access.Verb.LIST, Access.Resource.CLUSTERS, null, null);
    }

    /** One cluster registration: {@code get} on {@code clusters} at cluster scope. */
    public void readCluster(Exchange exchange) {
        require(exchange, Access.Verb.GET, Access.Resource.CLUSTERS, null, clusterName(exchange));
    }

    /** Registering a cluster: {@code create} on {@code clusters}, or {@code update} when it is registered already. */
    public void writeCluster(Exchange exchange, boolean registered) {
        require(exchange, registered ? Access.Verb.UPDATE : Access.Verb.CREATE, Access.Resource.CLUSTERS, null,
                clusterName(exchange));
    }

    public void deleteCluster(Exchange exchange) {
        require(exchange, Access.Verb.DELETE, Access.Resource.CLUSTERS, null, clusterName(exchange));
    }

    private static String clusterName(Exchange exchange) {
        return exchange.getMessage().getHeader("name", String.class);
    }

    /** {@code update} on builds of a namespace: the legacy API moving an id away from it. */
    public void updateBuildsIn(Exchange exchange, String cluster, String namespace, String name) {
        require(exchange, Access.Verb.UPDATE, Access.Resource.BUILDS, namespace, name, cluster);
    }

    /**
     * The cluster a request means: the one it names, else the one cluster its caller is scoped to (an observer's
     * token from the tokens file with exactly one cluster: its pushes land there), else the home cluster. A caller
     * that cannot be authenticated gets the home cluster here and its 401 from the access check that follows.
     */
    public String clusterOf(Exchange exchange, String requested, String home) {
        if (requested != null && !requested.isEmpty()) {
            return requested;
        }
        if (!callers.enabled()) {
            return home;
        }
        try {
            return callers.onlyCluster(caller(exchange)).orElse(home);
        } catch (OsirisException e) {
            if (e.kind() != io.osiris.error.ErrorKind.UNAUTHENTICATED) {
                throw e; // e.g. the Kubernetes API away: a 503 now, not a second review that may say 401
            }
            return home;
        }
    }

    /**
     * Only that the caller is known (401 otherwise), for a door that must read the body to learn the namespace
     * (the legacy updates): an unknown caller's body is never read. The audit line has namespace {@code ?}.
     */
    public void knownCaller(Exchange exchange) {
        authenticated(exchange, new Access(Access.Verb.UPDATE, Access.Resource.BUILDS, Access.UNKNOWN_NAMESPACE,
                exchange.getMessage().getHeader("id", String.class)));
    }

    // ---- the caller

    /** The caller of the exchange, authenticated once per exchange; 401 when it sent no or a bad credential. */
    public Identity caller(Exchange exchange) {
        Identity known = exchange.getProperty(IDENTITY, Identity.class);
        if (known != null) {
            return known;
        }
        Identity identity = callers.authenticate(ExchangeCredentials.of(exchange));
        exchange.setProperty(IDENTITY, identity);
        return identity;
    }

    private void require(Exchange exchange, Access.Verb verb, Access.Resource resource, BuildRef ref) {
        require(exchange, verb, resource, ref.namespace(), ref.name(), ref.cluster());
    }

    private void require(Exchange exchange, Access.Verb verb, Access.Resource resource, String namespace,
                         String name) {
        require(exchange, verb, resource, namespace, name, null);
    }

    private void require(Exchange exchange, Access.Verb verb, Access.Resource resource, String namespace,
                         String name, String cluster) {
        Access access = new Access(verb, resource, namespace, name, cluster);
        Identity identity = authenticated(exchange, access);
        if (!callers.allows(identity, access)) {
            refuse(exchange, identity, access);
        }
        auditWhenDone(exchange, identity, access);
    }

    private void requireList(Exchange exchange, String namespace) {
        require(exchange, Access.Verb.LIST, Access.Resource.BUILDS, namespace, null);
    }

    private Identity authenticated(Exchange exchange, Access access) {
        try {
            return caller(exchange);
        } catch (OsirisException e) {
            if (e.kind() == ErrorKind.UNAUTHENTICATED) {
                audit.record("-", access, "unauthenticated", ExchangeCredentials.address(exchange), e.getMessage());
            }
            throw e;
        }
    }

    private void refuse(Exchange exchange, Identity identity, Access access) {
        audit.record(identity.name(), access, "denied", ExchangeCredentials.address(exchange), null);
        throw new OsirisException(ErrorKind.FORBIDDEN, null, "'" + identity.name() + "' may not " + access.describe());
    }

    /** A write is logged once it ran, with how it ended. */
    private void auditWhenDone(Exchange exchange, Identity identity, Access access) {
        if (!access.verb().writes() || !callers.enabled()) {
            return;
        }
        String client = ExchangeCredentials.address(exchange);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                audit.record(identity.name(), access, ExchangeCredentials.failed(done) ? "failed" : "done", client,
                        null);
            }
        });
    }

    private static BuildRef ref(Exchange exchange) {
        BuildRef ref = exchange.getProperty("buildRef", BuildRef.class);
        if (ref == null) {
            throw new IllegalStateException("access check before the build is known (no exchange property buildRef)");
        }
        return ref;
    }
}
