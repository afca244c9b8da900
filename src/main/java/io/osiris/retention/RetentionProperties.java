package io.osiris.retention;

import io.osiris.records.Phase;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.retention.*}: which builds' logs and records are deleted, and when. Without policies nothing is.
 *
 * @param interval     how often the leader replica applies the policies (also once shortly after it becomes leader)
 * @param firstRun     how long after a replica becomes leader its first pass runs
 * @param keepLast     the newest this many builds of each BuildConfig (by {@code groupLabel}) are always kept
 * @param groupLabel   the label that groups builds for {@code keepLast}
 * @param bucketExpiry set to the age of an S3 lifecycle rule that expires the bucket's objects: records whose objects
 *                     the rule has expired are removed too (rule {@code bucket-lifecycle})
 * @param policies     the first policy that matches a finished build decides its maximum age
 */
@Validated
@ConfigurationProperties("osiris.retention")
public record RetentionProperties(
        @NotNull @DefaultValue("1h") Duration interval,
        @NotNull @DefaultValue("1m") Duration firstRun,
        @Min(0) @DefaultValue("1") int keepLast,
        @NotBlank @DefaultValue("openshift.io/build-config.name") String groupLabel,
        Duration bucketExpiry,
        @Valid @DefaultValue List<Policy> policies) {

    /**
     * One policy. Empty lists and maps match everything.
     *
     * @param name       named in reports and metrics
     * @param clusters   registered clusters it covers (e.g. dev logs kept shorter than production's)
     * @param namespaces namespaces it covers
     * @param phases     phases it covers (only finished builds are ever deleted)
     * @param labels     labels a build must all have
     * @param maxAge     age, since the build ended (else started), after which the build is deleted
     */
    public record Policy(
            @NotBlank String name,
            @DefaultValue List<String> clusters,
            @DefaultValue List<String> namespaces,
            @DefaultValue List<Phase> phases,
            @DefaultValue Map<String, String> labels,
            @NotNull Duration maxAge) {
    }
}
