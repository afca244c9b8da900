package io.osiris.records.jdbc;

import io.osiris.records.RecordArchive;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DataIntegrityViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the database from the bucket: every {@code build.json} and legacy id there becomes (or refreshes) a row.
 * The bucket is the archive; the database is its index and never holds the only copy of anything.
 */
public class Reindex {

    private static final Logger LOG = LoggerFactory.getLogger(Reindex.class);

    private final JdbcBuildRecords records;
    private final RecordArchive archive;

    public Reindex(JdbcBuildRecords records, RecordArchive archive) {
        this.records = records;
        this.archive = archive;
    }

    /** What one reindex did. */
    public record Result(long records, long changed, long skipped, long legacyIds, long millis) {
    }

    public Result run() {
        long started = System.nanoTime();
        archive.upgradeLayout();
        AtomicLong seen = new AtomicLong();
        AtomicLong changed = new AtomicLong();
        AtomicLong legacy = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        LOG.info("Reindex: reading the build records of the bucket");
        archive.forEachRecord(record -> {
            seen.incrementAndGet();
            try {
                if (records.restore(record)) {
                    changed.incrementAndGet();
                }
            } catch (DataIntegrityViolationException unfit) {
                // a copy that no longer fits the record's bounds (written by an older version): reported, skipped
                skipped.incrementAndGet();
                LOG.warn("Reindex: skipped the record of {}: {}", record.ref(), unfit.getMostSpecificCause().getMessage());
            }
        });
        archive.forEachLegacyId((id, namespace) -> {
            records.restoreLegacyId(id, namespace);
            legacy.incrementAndGet();
        });
        Result result = new Result(seen.get(), changed.get(), skipped.get(), legacy.get(),
                (System.nanoTime() - started) / 1_000_000);
        LOG.info("Reindex done: {} records in the bucket, {} rows written, {} skipped, {} legacy ids, {} ms",
                result.records(), result.changed(), result.skipped(), result.legacyIds(), result.millis());
        return result;
    }

    /** At start: the bucket's records into the present layout (see {@link RecordArchive#upgradeLayout()}). */
    public long upgradeLayout() {
        return archive.upgradeLayout();
    }

    /** At start: rebuild when the database is empty and the bucket is not (a new or lost database). */
    public boolean runIfDatabaseEmpty() {
        if (records.count() > 0 || !archive.hasRecords()) {
            return false;
        }
        LOG.info("Reindex: the build database is empty and the bucket is not");
        run();
        return true;
    }
}
