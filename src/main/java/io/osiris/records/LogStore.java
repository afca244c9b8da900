package io.osiris.records;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where log bytes live: one object per build log, written whole from a spooled file. One implementation
 * ({@code storage}, S3); its failures surface as {@code STORAGE_UNAVAILABLE}.
 */
public interface LogStore {

    /** Stores a spooled file under {@code key}; {@code encoding} is "gzip" or "identity". */
    void put(String key, Path file, long size, String encoding);

    /** The stored bytes of a log, streamed; 404 when the object is gone. */
    InputStream open(String key);

    boolean exists(String key);

    void delete(String key);

    /** Where a new log of this build goes (one deterministic place per build). */
    String logKey(BuildRef ref);

    /** "gzip" when new logs are stored compressed, else "identity". */
    String encoding();
}
