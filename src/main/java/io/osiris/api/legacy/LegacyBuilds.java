package io.osiris.api.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.access.AccessControl;
import io.osiris.api.ApiProperties;
import io.osiris.api.BoundedBody;
import io.osiris.records.BuildInfo;
import io.osiris.records.BuildNames;
import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRecords;
import io.osiris.records.BuildRef;
import io.osiris.records.Phase;
import io.osiris.cluster.ClusterProperties;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Reads the requests of the original Osiris API: {@code PUT /build/started|completed/[schema/]{id}} with an
 * OpenShift Build object, an Osiris BuildInfo or a Kubernetes Event, and resolves legacy ids to builds.
 */
@Component("legacyBuilds")
public class LegacyBuilds {

    /** A legacy update is a whole Build object or Event: room for large annotations, never a log. */
    static final long MAX_UPDATE_BYTES = 1024 * 1024;

    private static final java.util.List<String> SCHEMAS = java.util.List.of("thoth_schema", "build_schema",
            "event_schema");

    private final ObjectMapper json;
    private final LegacyAliases aliases;
    private final BuildRecords records;
    private final String defaultNamespace;
    private final ClusterProperties cluster;
    private final AccessControl access;

    public LegacyBuilds(ObjectMapper json, LegacyAliases aliases, BuildRecords records, ApiProperties api,
                        ClusterProperties cluster, AccessControl access) {
        this.access = access;
        this.json = json;
        this.cluster = cluster;
        this.aliases = aliases;
        this.records = records;
        this.defaultNamespace = api.legacyNamespace();
    }

    /** Body: the request JSON; {@code event} is started or completed, {@code schema} names the body's schema. */
    public LegacyUpdate update(Exchange exchange, @Header("id") String id, @Header("event") String event,
                               @Header("schema") String schema, @Header("mode") String mode,
                               @Body InputStream body) throws IOException {
        if (!"started".equals(event) && !"completed".equals(event)) {
            throw OsirisException.notFound("no such legacy call: /build/" + event);
        }
        if (schema != null && !SCHEMAS.contains(schema)) {
            throw OsirisException.notFound("unknown schema '" + schema + "', expected one of " + SCHEMAS);
        }
        BuildNames.name(id);
        if ("cluster".equals(mode) && !cluster.enabled()) {
            throw OsirisException.badRequest("mode",
                    "mode=cluster needs the cluster integration (osiris.cluster.enabled); use mode=remote");
        }
        if (mode != null && !mode.isEmpty() && !"remote".equals(mode) && !"cluster".equals(mode)) {
            throw OsirisException.badRequest("mode", "mode must be remote or cluster, got '" + mode + "'");
        }
        boolean completed = "completed".equals(event);
        JsonNode node = body == null ? null : json.readTree(BoundedBody.of(body, MAX_UPDATE_BYTES, "a legacy build update"));
        if (node == null || !node.isObject()) {
            throw OsirisException.badRequest("body", "a JSON object is required");
        }
        Phase fallback = completed ? Phase.Complete : Phase.Running;
        // an observer whose token is scoped to one cluster reports that cluster's builds; else the home cluster's
        String target = access.clusterOf(exchange, null, cluster.name());
        if ("build_schema".equals(schema)) {
            return fromBuildInfo(target, id, node, fallback);
        }
        if ("event_schema".equals(schema)) {
            return fromEvent(target, id, node, fallback);
        }
        return fromBuildObject(target, id, node, fallback);
    }

    private LegacyUpdate fromBuildObject(String target, String id, JsonNode build, Phase fallback) {
        JsonNode metadata = build.path("metadata");
        requireSameId(id, metadata.path("name"), "metadata.name");
        String namespace = text(metadata.path("namespace"));
        JsonNode status = build.path("status");
        BuildInfo info = new BuildInfo(
                BuildNames.uid(text(metadata.path("uid"))),
                phase(status.path("phase"), "status.phase", fallback),
                time(status.path("startTimestamp"), "status.startTimestamp"),
                time(status.path("completionTimestamp"), "status.completionTimestamp"),
                labels(metadata.path("labels")),
                text(status.path("message")));
        return update(target, id, namespace, info);
    }

    private LegacyUpdate fromBuildInfo(String target, String id, JsonNode buildInfo, Phase fallback) {
        JsonNode buildId = buildInfo.path("build_id");
        if (buildId.isMissingNode() || !id.equals(buildId.asText())) {
            throw OsirisException.badRequest("build_id", "build_id must be given and equal the id in the path ('"
                    + id + "')");
        }
        if (buildInfo.path("build_status").isMissingNode()) {
            throw OsirisException.badRequest("build_status", "build_status is required");
        }
        BuildInfo info = new BuildInfo(null,
                phase(buildInfo.path("build_status"), "build_status", fallback),
                time(buildInfo.path("first_timestamp"), "first_timestamp"),
                time(buildInfo.path("last_timestamp"), "last_timestamp"),
                null, null);
        return update(target, id, text(buildInfo.path("ocp_info").path("namespace")), info);
    }

    private LegacyUpdate fromEvent(String target, String id, JsonNode event, Phase fallback) {
        JsonNode involved = event.path("involvedObject");
        requireSameId(id, involved.path("name"), "involvedObject.name");
        BuildInfo info = new BuildInfo(
                BuildNames.uid(text(involved.path("uid"))),
                phase(event.path("reason"), "reason", fallback),
                time(event.path("firstTimestamp"), "firstTimestamp"),
                time(event.path("lastTimestamp"), "lastTimestamp"),
                null, text(event.path("message")));
        return update(target, id, text(involved.path("namespace")), info);
    }

    private LegacyUpdate update(String target, String id, String namespace, BuildInfo info) {
        String ns = namespace == null ? defaultNamespace : BuildNames.namespace(namespace);
        return new LegacyUpdate(id, new BuildRef(target, ns, id, null), info);
    }

    /**
     * An update that moves a legacy id to another namespace changes what the id shows to the readers of the old
     * one: the caller needs {@code update} there too. Properties buildRef (the new place) and legacyUpdate.
     */
    public void checkMove(Exchange exchange) {
        if (!access.enabled()) {
            return;
        }
        BuildRef target = exchange.getProperty("buildRef", BuildRef.class);
        String id = target.name();
        java.util.Optional<String> before = aliases.recorded(id);
        String from = before.orElse(defaultNamespace);
        if (from.equals(target.namespace())) {
            return;
        }
        if (before.isPresent() || records.find(new BuildRef(target.cluster(), from, id, null)).isPresent()) {
            access.updateBuildsIn(exchange, target.cluster(), from, id);
        }
    }

    /** The build a legacy id stands for, in the caller's one cluster (a scoped observer token) or the home cluster. */
    public BuildRef resolve(Exchange exchange, @Header("id") String id) {
        BuildNames.name(id);
        return new BuildRef(access.clusterOf(exchange, null, cluster.name()), aliases.namespaceOf(id), id, null);
    }

    /** Legacy rules for a log upload: the build is known and finished, and force=0 never overwrites. */
    public void checkLogUpload(@org.apache.camel.ExchangeProperty("buildRef") BuildRef ref, @Header("id") String id,
                               @Header("force") String force) {
        BuildRecord record = records.require(ref);
        if (!record.isFinished()) {
            throw OsirisException.badRequest("id", "build " + id + " is not finished (phase "
                    + record.phase() + "); its log is taken once it is");
        }
        if ("0".equals(force) && record.hasLog()) {
            throw new OsirisException(ErrorKind.CONFLICT, "force",
                    "build " + id + " has a stored log and force=0 forbids overwriting it");
        }
        if (force != null && !force.isEmpty() && !force.equals("0") && !force.equals("1")) {
            throw OsirisException.badRequest("force", "force must be 0 or 1");
        }
    }

    private static void requireSameId(String id, JsonNode name, String field) {
        if (!name.isMissingNode() && !name.isNull() && !id.equals(name.asText())) {
            throw OsirisException.badRequest(field, field + " '" + name.asText() + "' differs from the id in the path ('"
                    + id + "')");
        }
    }

    private static Phase phase(JsonNode node, String field, Phase fallback) {
        String text = text(node);
        if (text == null) {
            return fallback;
        }
        return Phase.parse(text).orElseThrow(() -> OsirisException.badRequest(field,
                field + " '" + text + "' is not a build phase"));
    }

    /** RFC 3339, or the original's {@code %Y-%m-%dT%H:%M:%S.%f} without zone, taken as UTC. */
    private static Instant time(JsonNode node, String field) {
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw OsirisException.badRequest(field, field + " '" + text + "' is not a date-time");
            }
        }
    }

    private static Map<String, String> labels(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}
