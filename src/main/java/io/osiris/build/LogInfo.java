package io.osiris.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** Where and what a stored log is. {@code size}, {@code sha256} and {@code lines} describe the uncompressed log. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogInfo(
        String key,
        long size,
        long storedSize,
        String sha256,
        long lines,
        String encoding,
        Instant storedAt,
        Boolean pending) {

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isGzip() {
        return "gzip".equals(encoding);
    }

    public LogInfo stored(Instant at) {
        return new LogInfo(key, size, storedSize, sha256, lines, encoding, at, null);
    }

    public LogInfo asPending() {
        return new LogInfo(key, size, storedSize, sha256, lines, encoding, null, Boolean.TRUE);
    }
}
