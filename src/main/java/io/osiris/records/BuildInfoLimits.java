package io.osiris.records;

import io.osiris.error.OsirisException;
import java.time.Instant;
import java.util.Map;

/**
 * The bounds of what a build record may hold, checked for every door by route {@code build-info-store} before
 * anything is written: a record must fit its database row and stay small enough to list a page of them.
 */
public final class BuildInfoLimits {

    public static final int MAX_LABELS = 64;
    /** Kubernetes' longest label key: a 253-character prefix, '/', a 63-character name. */
    public static final int MAX_LABEL_KEY = 317;
    public static final int MAX_LABEL_VALUE = 1024;
    public static final int MAX_MESSAGE = 4096;
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    private BuildInfoLimits() {
    }

    /** The info itself when it is within bounds; 400 naming the field otherwise. */
    public static BuildInfo check(BuildInfo info) {
        if (info.message() != null && info.message().length() > MAX_MESSAGE) {
            throw OsirisException.badRequest("message",
                    "field 'message' is longer than " + MAX_MESSAGE + " characters");
        }
        time("startTimestamp", info.startTimestamp());
        time("completionTimestamp", info.completionTimestamp());
        Map<String, String> labels = info.labels();
        if (labels != null) {
            if (labels.size() > MAX_LABELS) {
                throw OsirisException.badRequest("labels", "at most " + MAX_LABELS + " labels, got " + labels.size());
            }
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (label.getKey() == null || label.getKey().isEmpty() || label.getKey().length() > MAX_LABEL_KEY) {
                    throw OsirisException.badRequest("labels",
                            "a label key must have 1 to " + MAX_LABEL_KEY + " characters");
                }
                if (label.getValue() == null || label.getValue().length() > MAX_LABEL_VALUE) {
                    throw OsirisException.badRequest("labels", "label '" + label.getKey().substring(0,
                            Math.min(63, label.getKey().length())) + "' needs a value of at most " + MAX_LABEL_VALUE
                            + " characters");
                }
            }
        }
        return info;
    }

    private static void time(String field, Instant value) {
        if (value != null && (value.isBefore(EARLIEST) || value.isAfter(LATEST))) {
            throw OsirisException.badRequest(field, "field '" + field + "' must be between 1970 and 9999");
        }
    }
}
