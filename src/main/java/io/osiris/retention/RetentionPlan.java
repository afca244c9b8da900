package io.osiris.retention;

import io.osiris.records.BuildRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Decides which builds the policies delete, in two passes over the records: the first learns the start times of the
 * newest {@code keepLast} builds of each BuildConfig, the second decides build by build (the first policy that
 * matches a finished build decides; a build on legal hold, or among the newest of its BuildConfig, is kept). Memory:
 * {@code keepLast} times per BuildConfig, nothing per build, so a namespace of a million builds costs no more.
 */
final class RetentionPlan {

    static final String BUCKET_LIFECYCLE = "bucket-lifecycle";

    private final RetentionProperties properties;
    private final Instant now;
    /** Per cluster, namespace and BuildConfig, the start times of its newest builds (the oldest of them first). */
    private final Map<String, PriorityQueue<Instant>> newest = new HashMap<>();
    private long keptByHold;
    private long keptAsLast;

    RetentionPlan(RetentionProperties properties, Instant now) {
        this.properties = properties;
        this.now = now;
    }

    /** First pass: every record. */
    void learn(BuildRecord record) {
        String group = group(record);
        if (group == null || properties.keepLast() == 0) {
            return;
        }
        PriorityQueue<Instant> times = newest.computeIfAbsent(group, g -> new PriorityQueue<>());
        times.add(record.startedOrRecorded());
        if (times.size() > properties.keepLast()) {
            times.poll();
        }
    }

    /** Second pass: the build to delete for this record, or null when it stays. */
    RetentionReport.Entry decide(BuildRecord record) {
        String policy = expiredBy(record);
        if (policy == null) {
            return null;
        }
        if (record.onHold()) {
            keptByHold++;
            return null;
        }
        if (!policy.equals(BUCKET_LIFECYCLE) && amongNewest(record)) {
            keptAsLast++;
            return null;
        }
        return new RetentionReport.Entry(record.cluster(), record.namespace(), record.name(), record.uid(),
                record.phase(), policy, ended(record), record.log() == null ? 0 : record.log().storedSize());
    }

    long keptByHold() {
        return keptByHold;
    }

    long keptAsLast() {
        return keptAsLast;
    }

    private boolean amongNewest(BuildRecord record) {
        PriorityQueue<Instant> times = newest.get(group(record));
        return times != null && !record.startedOrRecorded().isBefore(times.peek());
    }

    private String group(BuildRecord record) {
        String config = record.labels() == null ? null : record.labels().get(properties.groupLabel());
        return config == null ? null : record.cluster() + ":" + record.namespace() + "/" + config;
    }

    /** The policy under which the record is past its age, or null. */
    private String expiredBy(BuildRecord record) {
        Duration bucket = properties.bucketExpiry();
        if (bucket != null && stored(record).isBefore(now.minus(bucket))) {
            return BUCKET_LIFECYCLE; // its objects are gone: the record follows them
        }
        if (!record.isFinished()) {
            return null;
        }
        for (RetentionProperties.Policy policy : properties.policies()) {
            if (matches(policy, record)) {
                return ended(record).isBefore(now.minus(policy.maxAge())) ? policy.name() : null;
            }
        }
        return null;
    }

    private static boolean matches(RetentionProperties.Policy policy, BuildRecord record) {
        if (!policy.clusters().isEmpty() && !policy.clusters().contains(record.cluster())) {
            return false;
        }
        if (!policy.namespaces().isEmpty() && !policy.namespaces().contains(record.namespace())) {
            return false;
        }
        if (!policy.phases().isEmpty() && !policy.phases().contains(record.phase())) {
            return false;
        }
        Map<String, String> labels = record.labels() == null ? Map.of() : record.labels();
        return policy.labels().entrySet().stream().allMatch(l -> l.getValue().equals(labels.get(l.getKey())));
    }

    /** When the build ended, else started (or was first heard of). */
    private static Instant ended(BuildRecord record) {
        return record.completionTimestamp() != null ? record.completionTimestamp() : record.startedOrRecorded();
    }

    /** When the bucket last wrote the build's objects: its log's store, else its record's last change. */
    private static Instant stored(BuildRecord record) {
        if (record.log() != null && record.log().storedAt() != null) {
            return record.log().storedAt();
        }
        return record.updatedAt() != null ? record.updatedAt() : record.startedOrRecorded();
    }
}
