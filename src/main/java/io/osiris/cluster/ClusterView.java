package io.osiris.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A registered cluster as the API shows it: never its credentials, only their kind. {@code status} is its API's
 * (UP, UNREACHABLE, UNKNOWN before the first probe); {@code watchedHere} whether this replica holds its lease.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(String name, String apiUrl, ClusterProperties.Source source, List<String> namespaces,
                          String podSelector, String podNameLabel, String origin, String credentials, String status,
                          boolean watchedHere) {
}
