package io.osiris.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * Where and what a stored log is. {@code size}, {@code sha256} and {@code lines} describe the uncompressed log;
 * {@code incomplete} is true when it was fetched after following the build broke off, so its start may be lost;
 * {@code masked} counts the secrets masked in it at ingest, by rule (never the values).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogInfo(
        String key,
        long size,
        long storedSize,
        String sha256,
        long lines,
        String encoding,
        Instant storedAt,
        Boolean pending,
        Boolean incomplete,
        Map<String, Long> masked) {

    public LogInfo(String key, long size, long storedSize, String sha256, long lines, String encoding,
                   Instant storedAt, Boolean pending, Boolean incomplete) {
        this(key, size, storedSize, sha256, lines, encoding, storedAt, pending, incomplete, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isGzip() {
        return "gzip".equals(encoding);
    }

    public LogInfo stored(Instant at) {
        return new LogInfo(key, size, storedSize, sha256, lines, encoding, at, null, incomplete, masked);
    }

    public LogInfo asPending() {
        return new LogInfo(key, size, storedSize, sha256, lines, encoding, null, Boolean.TRUE, incomplete, masked);
    }
}
