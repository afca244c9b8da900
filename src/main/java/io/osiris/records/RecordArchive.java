package io.osiris.records;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The copy of every record kept next to its log ({@code build.json}), so that the bucket alone describes every
 * build and the database can be rebuilt from it ({@code reindex}). One implementation ({@code storage}, S3).
 */
public interface RecordArchive {

    void write(BuildRecord record);

    void delete(BuildRef ref);

    void writeLegacyId(String id, String namespace);

    /** Every archived record, in no particular order; may call {@code each} from several threads. */
    void forEachRecord(Consumer<BuildRecord> each);

    /** Every archived legacy id and its namespace. */
    void forEachLegacyId(BiConsumer<String, String> each);

    /**
     * Moves the records kept in the layout before clusters into their home cluster's place (their logs stay where
     * their records say). Idempotent and cheap once done; returns how many records were moved.
     */
    long upgradeLayout();

    /** Whether the archive holds any record (cheap: one listing request). */
    boolean hasRecords();
}
