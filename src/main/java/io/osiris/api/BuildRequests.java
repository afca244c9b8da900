package io.osiris.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.osiris.records.BuildInfo;
import io.osiris.records.BuildNames;
import io.osiris.records.BuildRef;
import io.osiris.access.AccessControl;
import io.osiris.records.HomeCluster;
import org.apache.camel.Exchange;
import io.osiris.records.BuildQuery;
import io.osiris.records.Phase;
import io.osiris.error.OsirisException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Reads v1 requests into the domain: validated build references, build info and list queries. */
@Component("buildRequests")
public class BuildRequests {

    /** Far above the largest record the limits allow (64 labels of 1.3 KB, a 4096-character message). */
    static final long MAX_BUILD_INFO_BYTES = 128 * 1024;

    private final ObjectReader buildInfoReader;
    private final ApiProperties api;
    private final HomeCluster home;
    private final AccessControl access;

    public BuildRequests(ObjectMapper json, ApiProperties api, HomeCluster home, AccessControl access) {
        this.access = access;
        // the BuildInfo schema allows no other fields
        this.buildInfoReader = json.readerFor(BuildInfo.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                // strict: a phase is its name, never an enum index, and nothing may follow the object
                .with(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.api = api;
        this.home = home;
    }

    /**
     * The build a request names; {@code ?cluster=} absent means the caller's one cluster (an observer's token
     * scoped to one cluster) or else the home cluster.
     */
    public BuildRef ref(Exchange exchange, @Header("cluster") String cluster, @Header("namespace") String namespace,
                        @Header("name") String name, @Header("uid") String uid) {
        return BuildNames.ref(access.clusterOf(exchange, cluster, home.name()), namespace, name, uid);
    }

    public BuildInfo buildInfo(@Body InputStream body) throws IOException {
        if (body == null) {
            throw OsirisException.badRequest("body", "a BuildInfo JSON body is required");
        }
        BuildInfo info;
        try (InputStream in = BoundedBody.of(body, MAX_BUILD_INFO_BYTES, "a BuildInfo body")) {
            info = buildInfoReader.readValue(in);
        }
        if (info == null) {
            throw OsirisException.badRequest("body", "a BuildInfo JSON body is required");
        }
        if (info.phase() == null) {
            throw OsirisException.badRequest("phase", "field 'phase' is required");
        }
        BuildNames.uid(info.uid());
        return info;
    }

    /** A list query; {@code ?cluster=} absent means every cluster. */
    public BuildQuery listQuery(@Header("cluster") String cluster, @Header("namespace") String namespace,
                                @Header("namePrefix") String namePrefix,
                                @Header("phase") String phase,
                                       @Header("label") String label, @Header("since") String since,
                                       @Header("until") String until, @Header("limit") String limit,
                                       @Header("continue") String token, @Header("order") String order) {
        if (order != null && !order.isEmpty() && !order.equals("name") && !order.equals("newest")) {
            throw OsirisException.badRequest("order", "order must be name or newest, got '" + order + "'");
        }
        return new BuildQuery(
                cluster == null || cluster.isEmpty() ? null : BuildNames.cluster(cluster),
                namespace == null ? null : BuildNames.namespace(namespace),
                BuildNames.namePrefix(namePrefix),
                phase == null || phase.isEmpty() ? null : Phase.parse(phase).filter(p -> p.name().equals(phase))
                        .orElseThrow(() -> OsirisException.badRequest("phase", "phase '" + phase
                                + "' is not one of " + java.util.Arrays.toString(Phase.values()))),
                label == null || label.isEmpty() ? null : BuildQuery.Label.parse(label),
                time("since", since), time("until", until),
                pageSize(limit), token == null || token.isEmpty() ? null : token, "newest".equals(order));
    }

    private int pageSize(String limit) {
        if (limit == null || limit.isEmpty()) {
            return api.defaultPageSize();
        }
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= api.maxPageSize()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OsirisException.badRequest("limit", "limit must be a number from 1 to " + api.maxPageSize());
    }

    private static Instant time(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw OsirisException.badRequest(field, field + " '" + value + "' is not an RFC 3339 time");
        }
    }
}
