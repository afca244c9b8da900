package io.osiris.records;

import java.time.Instant;
import java.util.Map;

/** What a client tells about a build (the v1 {@code BuildInfo} schema). */
public record BuildInfo(
        String uid,
        Phase phase,
        Instant startTimestamp,
        Instant completionTimestamp,
        Map<String, String> labels,
        String message) {
}
