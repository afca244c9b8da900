package io.osiris.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.build.BuildInfo;
import io.osiris.build.BuildRecord;
import io.osiris.build.BuildRef;
import io.osiris.build.LogInfo;
import io.osiris.error.OsirisException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Build metadata ({@code build.json}) in S3. The log objects themselves go through the Camel aws2-s3 endpoints of
 * the routes; this class handles the small JSON documents, which need read-modify-write and paginated listing
 * (the aws2-s3 producer lists without pagination).
 */
@Component("buildRecords")
public class BuildRecordStore {

    private static final int STRIPES = 64;

    private final S3Client s3;
    private final String bucket;
    private final BuildKeys keys;
    private final ObjectMapper json;
    private final Clock clock;
    /** Serialises updates of one build within this process so that an info update and a log never race. */
    private final Object[] locks = new Object[STRIPES];

    public BuildRecordStore(S3Client s3, StorageProperties properties, BuildKeys keys, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        this.keys = keys;
        this.json = json;
        this.clock = Clock.systemUTC();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** The record of exactly this uid, or with no uid the newest record of that name. */
    public Optional<BuildRecord> find(BuildRef ref) {
        if (ref.uid() != null) {
            return read(keys.recordKey(ref));
        }
        return records(ref.namespace(), ref.name()).stream()
                .max(Comparator.comparing(BuildRecord::recordedAt));
    }

    /** The record stored for exactly this ref; a null uid means the record kept without uid. */
    public Optional<BuildRecord> exact(BuildRef ref) {
        return read(keys.recordKey(ref));
    }

    public BuildRecord require(BuildRef ref) {
        return find(ref).orElseThrow(() -> OsirisException.notFound("build " + ref + " is not known"));
    }

    /** The record whose log is asked for; 404 when the build or its log is missing. */
    public BuildRecord requireLog(BuildRef ref) {
        BuildRecord record = require(ref);
        if (!record.hasLog()) {
            throw OsirisException.notFound("build " + ref + " has no stored log");
        }
        return record;
    }

    /** Every record stored under one namespace/name (several when a build was re-created). */
    public List<BuildRecord> records(String namespace, String name) {
        List<BuildRecord> found = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(bucket).prefix(keys.namePrefix(namespace, name)).build();
        for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
            if (keys.isRecordKey(object.key())) {
                read(object.key()).ifPresent(found::add);
            }
        }
        return found;
    }

    /**
     * Records build info. Without a uid the newest record of that name is updated (or one is created); a log already
     * stored is always kept.
     */
    public BuildRecord saveInfo(BuildRef ref, BuildInfo info) {
        BuildRef target = info.uid() != null ? ref.withUid(info.uid()) : ref;
        synchronized (lockOf(target)) {
            Optional<BuildRecord> existing = find(target);
            BuildRecord updated = existing
                    .map(r -> r.update(info, clock.instant()))
                    .orElseGet(() -> BuildRecord.create(target, info, clock.instant()));
            write(updated);
            return updated;
        }
    }

    /** Points the record at its newly stored log. */
    public BuildRecord recordLog(BuildRef ref, LogInfo log) {
        synchronized (lockOf(ref)) {
            BuildRecord current = read(keys.recordKey(ref)).orElseGet(
                    () -> BuildRecord.create(ref, new BuildInfo(ref.uid(), null, null, null, null, null),
                            clock.instant()));
            BuildRecord updated = current.withLog(log.stored(clock.instant()), clock.instant());
            write(updated);
            return updated;
        }
    }

    /** Deletes the records (and their logs) of a name, or only the one of the given uid; 404 when none. */
    public List<BuildRecord> delete(BuildRef ref) {
        List<BuildRecord> doomed = ref.uid() != null
                ? read(keys.recordKey(ref)).map(List::of).orElse(List.of())
                : records(ref.namespace(), ref.name());
        if (doomed.isEmpty()) {
            throw OsirisException.notFound("build " + ref + " is not known");
        }
        for (BuildRecord record : doomed) {
            synchronized (lockOf(record.ref())) {
                // the metadata goes first: a record without its log object must never be visible
                s3.deleteObject(b -> b.bucket(bucket).key(keys.recordKey(record.ref())));
                if (record.log() != null) {
                    s3.deleteObject(b -> b.bucket(bucket).key(record.log().key()));
                }
            }
        }
        return doomed;
    }

    /**
     * One page of records in key order, starting after {@code startAfter}. Scans at most {@code scanLimit} keys so that
     * a selective filter cannot make one request read the whole bucket; the returned cursor says where to go on.
     */
    public RecordPage page(String namespace, String startAfter, int limit, int scanLimit,
                           Function<BuildRecord, Boolean> filter) {
        String prefix = namespace == null ? keys.buildsRoot() : keys.namespacePrefix(namespace);
        List<BuildRecord> items = new ArrayList<>();
        String cursor = startAfter;
        int scanned = 0;
        while (true) {
            var builder = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(1000);
            if (cursor != null) {
                builder.startAfter(cursor);
            }
            var response = s3.listObjectsV2(builder.build());
            for (S3Object object : response.contents()) {
                cursor = object.key();
                scanned++;
                if (keys.isRecordKey(object.key())) {
                    Optional<BuildRecord> record = read(object.key());
                    if (record.isPresent() && filter.apply(record.get())) {
                        items.add(record.get());
                        if (items.size() == limit) {
                            return new RecordPage(items, hasMoreAfter(prefix, cursor) ? cursor : null);
                        }
                    }
                }
                if (scanned >= scanLimit) {
                    return new RecordPage(items, hasMoreAfter(prefix, cursor) ? cursor : null);
                }
            }
            if (!Boolean.TRUE.equals(response.isTruncated())) {
                return new RecordPage(items, null);
            }
        }
    }

    /** Every record key under the builds root, in order (keys only: cheap). */
    public List<String> recordKeys() {
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(keys.buildsRoot()).build();
        return s3.listObjectsV2Paginator(request).contents().stream()
                .map(S3Object::key).filter(keys::isRecordKey).toList();
    }

    public Optional<BuildRecord> read(String key) {
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            return Optional.of(json.readValue(bytes, BuildRecord.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable build record " + key, e);
        }
    }

    public boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private boolean hasMoreAfter(String prefix, String key) {
        return !s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).startAfter(key).maxKeys(1)).contents().isEmpty();
    }

    private void write(BuildRecord record) {
        try {
            byte[] bytes = json.writeValueAsBytes(record);
            s3.putObject(b -> b.bucket(bucket).key(keys.recordKey(record.ref())).contentType("application/json"),
                    RequestBody.fromBytes(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Object lockOf(BuildRef ref) {
        return locks[Math.floorMod((ref.namespace() + "/" + ref.name()).hashCode(), STRIPES)];
    }

    /** A page of records and the key to continue after, null on the last page. */
    public record RecordPage(List<BuildRecord> items, String continueAfter) {
    }
}
