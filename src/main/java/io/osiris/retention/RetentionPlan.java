package io.osiris.retention;

import io.osiris.records.BuildRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for the records of one namespace at a time, which builds the policies delete: the first policy that
 * matches a finished build decides; a build on legal hold, or among the newest {@code keepLast} of its BuildConfig,
 * is kept. Keeps a small entry per build of the namespace at hand, not whole records.
 */
final class RetentionPlan {

    static final String BUCKET_LIFECYCLE = "bucket-lifecycle";

    private final RetentionProperties properties;
    private final Instant now;
    private final List<RetentionReport.Entry> doomed = new ArrayList<>();
    private long keptByHold;
    private long keptAsLast;

    RetentionPlan(RetentionProperties properties, Instant now) {
        this.properties = properties;
        this.now = now;
    }

    /** What the plan keeps of a record: what the decision needs, not the record. */
    private record Build(RetentionReport.Entry entry, String group, Instant started, boolean held) {
    }

    private final List<Build> namespace = new ArrayList<>();

    /** Adds a record; records come namespace by namespace. */
    void add(BuildRecord record) {
        if (!namespace.isEmpty() && !namespace.get(0).entry().namespace().equals(record.namespace())) {
            endNamespace();
        }
        String policy = expiredBy(record);
        String group = record.labels() == null ? null : record.labels().get(properties.groupLabel());
        namespace.add(new Build(new RetentionReport.Entry(record.namespace(), record.name(), record.uid(),
                record.phase(), policy, ended(record), record.log() == null ? 0 : record.log().storedSize()),
                group, record.startedOrRecorded(), record.onHold()));
    }

    /** Decides for the namespace added last (all its builds are known, so the newest of each group are). */
    void endNamespace() {
        Set<Build> newest = newestOfEachGroup(namespace);
        for (Build build : namespace) {
            String policy = build.entry().policy();
            if (policy == null) {
                continue;
            }
            if (build.held()) {
                keptByHold++;
            } else if (newest.contains(build) && !policy.equals(BUCKET_LIFECYCLE)) {
                keptAsLast++;
            } else {
                doomed.add(build.entry());
            }
        }
        namespace.clear();
    }

    List<RetentionReport.Entry> doomed() {
        return doomed;
    }

    long keptByHold() {
        return keptByHold;
    }

    long keptAsLast() {
        return keptAsLast;
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
        if (!policy.namespaces().isEmpty() && !policy.namespaces().contains(record.namespace())) {
            return false;
        }
        if (!policy.phases().isEmpty() && !policy.phases().contains(record.phase())) {
            return false;
        }
        Map<String, String> labels = record.labels() == null ? Map.of() : record.labels();
        return policy.labels().entrySet().stream().allMatch(l -> l.getValue().equals(labels.get(l.getKey())));
    }

    private Set<Build> newestOfEachGroup(List<Build> builds) {
        if (properties.keepLast() == 0) {
            return Set.of();
        }
        Map<String, List<Build>> groups = new HashMap<>();
        for (Build build : builds) {
            if (build.group() != null) {
                groups.computeIfAbsent(build.group(), g -> new ArrayList<>()).add(build);
            }
        }
        Set<Build> newest = new HashSet<>();
        for (List<Build> group : groups.values()) {
            group.stream().sorted(Comparator.comparing(Build::started).reversed()).limit(properties.keepLast())
                    .forEach(newest::add);
        }
        return newest;
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
