package io.osiris.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRef;
import io.osiris.records.HomeCluster;
import io.osiris.records.RecordArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket's copy of every record ({@code builds/{cluster}/.../build.json}) and of the legacy ids
 * ({@code legacy-ids/{id}.json}): what a reindex reads back. Records of the layout before clusters are moved into the
 * home cluster's place by {@link #upgradeLayout()}; until then they read as the home cluster's.
 */
public class S3RecordArchive implements RecordArchive {

    private static final Logger LOG = LoggerFactory.getLogger(S3RecordArchive.class);
    /** Records read at once by a reindex: S3 GETs are small and latency-bound. */
    private static final int READERS = 16;

    private final S3Client s3;
    private final String bucket;
    private final BuildKeys keys;
    private final ObjectMapper json;
    private final HomeCluster home;

    public S3RecordArchive(S3Client s3, StorageProperties properties, BuildKeys keys, ObjectMapper json,
                           HomeCluster home) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        this.keys = keys;
        this.json = json;
        this.home = home;
    }

    /** A legacy id's namespace, as stored by every version. */
    public record Alias(String namespace) {
    }

    @Override
    public void write(BuildRecord record) {
        putJson(keys.recordKey(record.ref()), record);
    }

    @Override
    public void delete(BuildRef ref) {
        StorageFailures.run(() -> s3.deleteObject(b -> b.bucket(bucket).key(keys.recordKey(ref))));
    }

    @Override
    public void writeLegacyId(String id, String namespace) {
        putJson(keys.legacyAlias(id), new Alias(namespace));
    }

    @Override
    public void forEachRecord(Consumer<BuildRecord> each) {
        ExecutorService readers = Executors.newFixedThreadPool(READERS, runnable -> {
            Thread thread = new Thread(runnable, "osiris-reindex");
            thread.setDaemon(true);
            return thread;
        });
        try {
            String continuation = null;
            do {
                String token = continuation;
                ListObjectsV2Response page = StorageFailures.translate(() -> s3.listObjectsV2(b -> b.bucket(bucket)
                        .prefix(keys.buildsRoot()).continuationToken(token)));
                List<Future<?>> reads = new ArrayList<>();
                for (S3Object object : page.contents()) {
                    if (keys.isRecordKey(object.key())) {
                        reads.add(readers.submit(() -> readRecord(object.key()).ifPresent(each)));
                    }
                }
                awaitAll(reads);
                continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (continuation != null);
        } finally {
            readers.shutdownNow();
        }
    }

    @Override
    public void forEachLegacyId(BiConsumer<String, String> each) {
        String root = keys.legacyAlias("");
        String prefix = root.substring(0, root.length() - ".json".length());
        StorageFailures.run(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                .forEach(object -> {
                    String id = object.key().substring(prefix.length(), object.key().length() - ".json".length());
                    read(object.key(), Alias.class).ifPresent(alias -> each.accept(id, alias.namespace()));
                }));
    }

    @Override
    public long upgradeLayout() {
        if (exists(keys.layoutMarker())) {
            return 0;
        }
        long moved = 0;
        for (S3Object object : StorageFailures.translate(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket)
                .prefix(keys.buildsRoot())).contents())) {
            if (keys.isUnclusteredRecordKey(object.key())) {
                moveToHomeCluster(object.key());
                moved++;
            }
        }
        putJson(keys.layoutMarker(), new Layout(2, home.name()));
        if (moved > 0) {
            LOG.info("Moved {} records of the layout before clusters into cluster '{}'", moved, home.name());
        }
        return moved;
    }

    /** What the marker says: the layout version and the cluster that older records were moved into. */
    public record Layout(int version, String homeCluster) {
    }

    /** The present place is written first (unless a newer copy is there already), then the old one deleted. */
    private void moveToHomeCluster(String oldKey) {
        readRecord(oldKey).ifPresent(record -> {
            String newKey = keys.recordKey(record.ref());
            if (!exists(newKey)) {
                putJson(newKey, record);
            }
        });
        StorageFailures.run(() -> s3.deleteObject(b -> b.bucket(bucket).key(oldKey)));
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw StorageFailures.unavailable(e);
        } catch (SdkException e) {
            throw StorageFailures.unavailable(e);
        }
    }

    private java.util.Optional<BuildRecord> readRecord(String key) {
        return read(key, BuildRecord.class).map(record -> record.inClusterIfNone(home.name()));
    }

    @Override
    public boolean hasRecords() {
        try {
            return !s3.listObjectsV2(b -> b.bucket(bucket).prefix(keys.buildsRoot()).maxKeys(1)).contents().isEmpty();
        } catch (NoSuchBucketException e) {
            return false;
        } catch (SdkException e) {
            throw StorageFailures.unavailable(e);
        }
    }

    private void putJson(String key, Object value) {
        try {
            byte[] bytes = json.writeValueAsBytes(value);
            StorageFailures.run(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> java.util.Optional<T> read(String key, Class<T> type) {
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            return java.util.Optional.of(json.readValue(bytes, type));
        } catch (NoSuchKeyException e) {
            return java.util.Optional.empty(); // deleted while listed
        } catch (IOException e) {
            LOG.warn("Skipping unreadable object {}: {}", key, e.getMessage());
            return java.util.Optional.empty();
        } catch (SdkException e) {
            throw StorageFailures.unavailable(e);
        }
    }

    private static void awaitAll(List<Future<?>> reads) {
        for (Future<?> read : reads) {
            try {
                read.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("reindex interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
