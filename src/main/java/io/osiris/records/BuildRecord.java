package io.osiris.records;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * The stored metadata of one build: its info plus, once stored, its log. Kept as {@code build.json}. {@code cluster}
 * is absent from records written before Osiris knew several clusters: they belong to the home cluster
 * ({@link #inClusterIfNone}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildRecord(
        String cluster,
        String namespace,
        String name,
        String uid,
        Phase phase,
        Instant startTimestamp,
        Instant completionTimestamp,
        Map<String, String> labels,
        String message,
        Instant recordedAt,
        Instant updatedAt,
        LogInfo log,
        LegalHold legalHold) {

    public BuildRecord(String cluster, String namespace, String name, String uid, Phase phase, Instant startTimestamp,
                       Instant completionTimestamp, Map<String, String> labels, String message, Instant recordedAt,
                       Instant updatedAt, LogInfo log) {
        this(cluster, namespace, name, uid, phase, startTimestamp, completionTimestamp, labels, message, recordedAt, updatedAt,
                log, null);
    }

    /** A legal hold: no retention policy deletes the build, and neither does a DELETE, until it is released. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LegalHold(String reason, Instant since, String by) {
    }

    @JsonIgnore
    public boolean onHold() {
        return legalHold != null;
    }

    @JsonIgnore
    public BuildRef ref() {
        return new BuildRef(cluster, namespace, name, uid);
    }

    @JsonIgnore
    public boolean isFinished() {
        return phase != null && phase.isTerminal();
    }

    @JsonIgnore
    public boolean hasLog() {
        return log != null && log.storedAt() != null;
    }

    /** The start of the build for time filters: its start timestamp, else when Osiris first heard of it. */
    @JsonIgnore
    public Instant startedOrRecorded() {
        return startTimestamp != null ? startTimestamp : recordedAt;
    }

    public static BuildRecord create(BuildRef ref, BuildInfo info, Instant now) {
        return new BuildRecord(ref.cluster(), ref.namespace(), ref.name(), ref.uid(), info.phase(), info.startTimestamp(),
                info.completionTimestamp(), info.labels(), info.message(), now, now, null);
    }

    /** New info replaces the old; what the update leaves out is kept, and the log is never dropped. */
    public BuildRecord update(BuildInfo info, Instant now) {
        return new BuildRecord(cluster, namespace, name, uid,
                info.phase() != null ? info.phase() : phase,
                info.startTimestamp() != null ? info.startTimestamp() : startTimestamp,
                info.completionTimestamp() != null ? info.completionTimestamp() : completionTimestamp,
                info.labels() != null ? info.labels() : labels,
                info.message() != null ? info.message() : message,
                recordedAt, now, log, legalHold);
    }

    public BuildRecord withLog(LogInfo newLog, Instant now) {
        return new BuildRecord(cluster, namespace, name, uid, phase, startTimestamp, completionTimestamp, labels, message,
                recordedAt, now, newLog, legalHold);
    }

    /** Placed on hold ({@code hold}) or released (null). */
    public BuildRecord withHold(LegalHold hold, Instant now) {
        return new BuildRecord(cluster, namespace, name, uid, phase, startTimestamp, completionTimestamp, labels, message,
                recordedAt, now, log, hold);
    }

    /** A record read from a copy written before clusters were known: it belongs to {@code home}. */
    public BuildRecord inClusterIfNone(String home) {
        return cluster != null ? this : new BuildRecord(home, namespace, name, uid, phase, startTimestamp,
                completionTimestamp, labels, message, recordedAt, updatedAt, log, legalHold);
    }
}
