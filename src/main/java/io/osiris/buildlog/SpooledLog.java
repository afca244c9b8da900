package io.osiris.buildlog;

import io.osiris.records.BuildRef;
import io.osiris.records.LogInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** A log written to the spool (already compressed as it will be stored) and waiting for its upload. */
public record SpooledLog(String id, Path file, BuildRef build, LogInfo log) {

    /** When the log was received: ids start with the microseconds since the epoch in hex (see LogSpooler). */
    public Optional<Instant> receivedAt() {
        int dash = id.indexOf('-');
        if (dash != 16) {
            return Optional.empty(); // an id of an older version
        }
        try {
            return Optional.of(Instant.EPOCH.plus(Long.parseLong(id.substring(0, dash), 16), ChronoUnit.MICROS));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
