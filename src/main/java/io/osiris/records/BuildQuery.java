package io.osiris.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.osiris.error.OsirisException;
import java.time.Instant;
import java.util.List;

/**
 * A filtered list of builds: every filter is optional ({@code cluster} null: every cluster); {@code continueToken}
 * is the opaque token of the page before (keyset pagination: stable while builds are added or removed). Sorted by
 * namespace, name, uid and cluster, or with {@code newestFirst} by start time, newest first.
 */
public record BuildQuery(String cluster, String namespace, String namePrefix, Phase phase, Label label, Instant since,
                         Instant until, int limit, String continueToken, boolean newestFirst) {

    /** Over every cluster, sorted by namespace, name, uid and cluster. */
    public BuildQuery(String namespace, String namePrefix, Phase phase, Label label, Instant since, Instant until,
                      int limit, String continueToken) {
        this(null, namespace, namePrefix, phase, label, since, until, limit, continueToken, false);
    }

    /** The same query over one cluster. */
    public BuildQuery inCluster(String only) {
        return new BuildQuery(only, namespace, namePrefix, phase, label, since, until, limit, continueToken,
                newestFirst);
    }

    /** A label filter, {@code key=value}. */
    public record Label(String key, String value) {
        public static Label parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw OsirisException.badRequest("label", "label must be key=value, got '" + text + "'");
            }
            return new Label(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    /** One page of records and the token of the next page, null on the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(List<BuildRecord> items, @JsonProperty("continue") String continueToken) {
    }
}
