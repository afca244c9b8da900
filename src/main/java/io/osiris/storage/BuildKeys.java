package io.osiris.storage;

import io.osiris.records.BuildRef;

/**
 * The storage layout, one place per build record:
 * <pre>
 * {prefix}builds/{cluster}/{namespace}/{name}/{uid or _}/build.json   metadata (JSON)
 * {prefix}builds/{cluster}/{namespace}/{name}/{uid or _}/log.gz       the log (gzip; "log" when compression is off)
 * {prefix}legacy-ids/{id}.json                                        legacy build id -> cluster and namespace
 * </pre>
 * Names are DNS-1123 and uids never start with '_', so no two builds share a key. Versions before clusters kept
 * records one level higher, {@code builds/{namespace}/{name}/{uid or _}/build.json}: {@link #isUnclusteredRecordKey}
 * finds them for {@link LayoutMigration}. A record's log key is kept in the record, so logs stay where they are.
 */
public class BuildKeys {

    static final String RECORD = "build.json";
    private static final String NO_UID = "_";

    private final String prefix;
    private final StorageProperties.Compression compression;

    public BuildKeys(String keyPrefix, StorageProperties.Compression compression) {
        String p = keyPrefix == null ? "" : keyPrefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
        this.compression = compression;
    }

    /** The keys of the configured storage: its prefix and compression. */
    public static BuildKeys of(StorageProperties storage) {
        return new BuildKeys(storage.keyPrefix(), storage.compression());
    }

    public String buildsRoot() {
        return prefix + "builds/";
    }

    public String clusterPrefix(String cluster) {
        return buildsRoot() + cluster + "/";
    }

    public String recordKey(BuildRef ref) {
        return recordDir(ref) + RECORD;
    }

    /** Where a new log of this build goes, compressed or not as configured. */
    public String logKey(BuildRef ref) {
        return recordDir(ref) + (compression == StorageProperties.Compression.gzip ? "log.gz" : "log");
    }

    public String legacyAlias(String id) {
        return prefix + "legacy-ids/" + id + ".json";
    }

    /** Written once every record is in the present layout, so that a start need not list the bucket to know. */
    public String layoutMarker() {
        return prefix + "layout.json";
    }

    public boolean isRecordKey(String key) {
        return key.endsWith("/" + RECORD);
    }

    /** A record key of the layout before clusters: {@code builds/{namespace}/{name}/{uid}/build.json}. */
    public boolean isUnclusteredRecordKey(String key) {
        return isRecordKey(key) && key.startsWith(buildsRoot())
                && key.substring(buildsRoot().length()).split("/", -1).length == 4;
    }

    public String encoding() {
        return compression == StorageProperties.Compression.gzip ? "gzip" : "identity";
    }

    private String recordDir(BuildRef ref) {
        return clusterPrefix(ref.cluster()) + ref.namespace() + "/" + ref.name() + "/"
                + (ref.uid() == null ? NO_UID : ref.uid()) + "/";
    }
}
