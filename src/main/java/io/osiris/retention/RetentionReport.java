package io.osiris.retention;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.osiris.records.Phase;
import java.time.Instant;
import java.util.List;

/**
 * What a retention pass deletes ({@code dryRun}: would delete): every build, and the totals by policy. Bytes are
 * those in storage.
 *
 * @param builds    the builds, at most {@code limit} of them listed ({@code truncated} when there are more)
 * @param keptByHold builds a policy matched that a legal hold keeps
 * @param keptAsLast builds a policy matched that are among the newest of their BuildConfig
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetentionReport(boolean dryRun, Instant at, long total, long bytes, List<PolicyTotal> policies,
                              long keptByHold, long keptAsLast, List<Entry> builds, Boolean truncated) {

    /** One build to delete. {@code uid} is absent for a build recorded without one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String cluster, String namespace, String name, String uid, Phase phase, String policy,
                        Instant endedAt, long bytes) {
    }

    public record PolicyTotal(String name, long builds, long bytes) {
    }
}
