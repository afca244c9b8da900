package io.osiris.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.osiris.cluster.ClusterAccess;
import io.osiris.cluster.ClusterProperties;
import io.osiris.cluster.ClusterRegistration;
import io.osiris.cluster.ClusterView;
import io.osiris.cluster.WatchTarget;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildNames;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Reads {@code PUT /api/v1/clusters/{name}} bodies (schema ClusterRegistration) into registrations. */
@Component("clusterRequests")
public class ClusterRequests {

    /** A kubeconfig with embedded certificates, a CA and the fields: far below this. */
    static final long MAX_BODY_BYTES = 256 * 1024;
    private static final int MAX_NAMESPACES = 1000;
    private static final String DEFAULT_POD_LABEL = "openshift.io/build.name";

    /** The body: credentials are write-only, read here and never shown again. */
    record Request(String apiUrl, String caCert, String token, String kubeconfig, ClusterProperties.Source source,
                List<String> namespaces, String podSelector, String podNameLabel) {
    }

    private final ObjectReader reader;

    public ClusterRequests(ObjectMapper json) {
        this.reader = json.readerFor(Request.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }

    public String name(@Header("name") String name) {
        return BuildNames.cluster(name);
    }

    public ClusterRegistration registration(@Header("name") String name, @Body InputStream body)
            throws IOException {
        if (body == null) {
            throw OsirisException.badRequest("body", "a ClusterRegistration JSON body is required");
        }
        Request request;
        try (InputStream in = BoundedBody.of(body, MAX_BODY_BYTES, "a ClusterRegistration body")) {
            request = reader.readValue(in);
        }
        if (request == null) {
            throw OsirisException.badRequest("body", "a ClusterRegistration JSON body is required");
        }
        List<String> namespaces = request.namespaces() == null ? List.of() : request.namespaces();
        if (namespaces.size() > MAX_NAMESPACES) {
            throw OsirisException.badRequest("namespaces", "at most " + MAX_NAMESPACES + " namespaces");
        }
        return new ClusterRegistration(
                new WatchTarget(BuildNames.cluster(name),
                        request.source() == null ? ClusterProperties.Source.builds : request.source(), namespaces,
                        orDefault(request.podSelector()), orDefault(request.podNameLabel())),
                new ClusterAccess(request.apiUrl(), request.caCert(), null, request.token(), null,
                        request.kubeconfig(), null),
                "api");
    }

    /** A list answer: {@code {"items": [...]}}. */
    public Map<String, List<ClusterView>> items(@Body List<ClusterView> clusters) {
        return Map.of("items", clusters);
    }

    private static String orDefault(String label) {
        return label == null || label.isBlank() ? DEFAULT_POD_LABEL : label;
    }
}
