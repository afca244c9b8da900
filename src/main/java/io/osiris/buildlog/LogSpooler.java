package io.osiris.buildlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.records.BuildRef;
import io.osiris.records.LogInfo;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.StorageProperties;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes an incoming log stream to a spool file exactly as it will be stored (gzip by default), counting, hashing
 * and bounding it on the way, so that no log is ever held in memory and a failed upload can be retried. Each spool
 * file {@code <id>.log} gets a sidecar {@code <id>.json} once it is complete; a file without sidecar is a torn
 * write and is discarded.
 */
@Component("logSpooler")
public class LogSpooler {

    private static final Logger LOG = LoggerFactory.getLogger(LogSpooler.class);
    private static final int BUFFER = 64 * 1024;

    private final Path directory;
    private final BuildKeys keys;
    private final StorageProperties storage;
    private final ObjectMapper json;
    private final LiveLogs live;
    private final LogMetrics metrics;
    /** Spool files being written or uploaded right now; the retry pass leaves them alone. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public LogSpooler(SpoolProperties spool, BuildKeys keys, StorageProperties storage, ObjectMapper json,
                      LiveLogs live, LogMetrics metrics) throws IOException {
        this.directory = spool.directory();
        this.keys = keys;
        this.storage = storage;
        this.json = json;
        this.live = live;
        this.metrics = metrics;
        Files.createDirectories(directory);
    }

    /** Spools {@code in} for the build record {@code target}; fails with 413 past {@code maxBytes}. */
    public SpooledLog spool(InputStream in, BuildRef target, long maxBytes) {
        return spool(in, target, maxBytes, false);
    }

    /** As above; {@code incomplete} marks a log that may miss its start (see LogInfo). */
    public SpooledLog spool(InputStream in, BuildRef target, long maxBytes, Boolean incomplete) {
        String id = UUID.randomUUID().toString();
        inFlight.add(id);
        Path file = directory.resolve(id + ".log");
        try (InputStream body = in == null ? InputStream.nullInputStream() : in) {
            LogInfo log = write(body, file, target, maxBytes, Boolean.TRUE.equals(incomplete) ? Boolean.TRUE : null);
            SpooledLog spooled = new SpooledLog(id, file, target, log);
            json.writeValue(sidecar(id).toFile(), new SpoolEntry(target, log));
            return spooled;
        } catch (IOException | RuntimeException e) {
            release(id);
            deleteQuietly(file);
            deleteQuietly(sidecar(id));
            boolean tooLarge = e instanceof OsirisException oe && oe.kind() == ErrorKind.PAYLOAD_TOO_LARGE;
            metrics.notStored(tooLarge ? "too_large" : "unreadable");
            if (e instanceof OsirisException oe) {
                throw oe;
            }
            throw new OsirisException(ErrorKind.BAD_REQUEST, "the log could not be read to its end: " + e.getMessage(), e);
        }
    }

    private LogInfo write(InputStream in, Path file, BuildRef target, long maxBytes, Boolean incomplete)
            throws IOException {
        MessageDigest sha256 = sha256();
        long size = 0;
        long newlines = 0;
        int last = '\n';
        byte[] buffer = new byte[BUFFER];
        LiveLogs.LiveLog follow = null;
        try (CountingOutputStream counted = new CountingOutputStream(Files.newOutputStream(file));
             OutputStream out = open(counted)) {
            // followers may read from here on: the file exists
            follow = live.start(target, file, storage.compression() == StorageProperties.Compression.gzip);
            int n;
            while ((n = in.read(buffer)) != -1) {
                size += n;
                if (size > maxBytes) {
                    throw new OsirisException(ErrorKind.PAYLOAD_TOO_LARGE, "log",
                            "the log is larger than the limit of " + maxBytes + " bytes");
                }
                sha256.update(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        newlines++;
                    }
                }
                last = buffer[n - 1];
                out.write(buffer, 0, n);
                if (follow.hasFollowers()) {
                    out.flush(); // a sync flush: followers can decompress everything written so far
                    follow.readableUpTo(counted.count());
                }
            }
            out.close();
            follow.readableUpTo(counted.count());
        } finally {
            if (follow != null) {
                live.end(target, follow);
            }
        }
        long lines = newlines + (size > 0 && last != '\n' ? 1 : 0);
        return new LogInfo(keys.logKey(target), size, Files.size(file), HexFormat.of().formatHex(sha256.digest()),
                lines, keys.encoding(), null, null, incomplete);
    }

    private OutputStream open(OutputStream file) throws IOException {
        OutputStream out = new BufferedOutputStream(file, BUFFER);
        if (storage.compression() == StorageProperties.Compression.none) {
            return out;
        }
        int level = storage.compressionLevel();
        return new GZIPOutputStream(out, BUFFER, true) {
            {
                def.setLevel(level == 0 ? Deflater.DEFAULT_COMPRESSION : level);
            }
        };
    }

    /**
     * Complete spool files that no request is working on: logs whose upload failed, or that were received before a
     * crash. Torn spool files (no sidecar, nobody writing) are removed.
     */
    public List<SpooledLog> leftovers() {
        List<SpooledLog> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".log")) {
                    continue;
                }
                String id = name.substring(0, name.length() - ".log".length());
                if (inFlight.contains(id)) {
                    continue;
                }
                Path sidecar = sidecar(id);
                if (Files.exists(sidecar)) {
                    SpoolEntry entry = json.readValue(sidecar.toFile(), SpoolEntry.class);
                    if (inFlight.add(id)) {
                        found.add(new SpooledLog(id, file, entry.build(), entry.log()));
                    }
                } else {
                    LOG.warn("Removing torn spool file {}", file);
                    deleteQuietly(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The log is stored: its spool file goes. */
    public void delete(SpooledLog spooled) {
        deleteQuietly(sidecar(spooled.id()));
        deleteQuietly(spooled.file());
        release(spooled.id());
    }

    /** The upload failed: the spool file stays for the retry pass. */
    public void release(String id) {
        inFlight.remove(id);
    }

    /** Spooled logs waiting for their upload (complete ones: a sidecar exists) and their size on disk. */
    public Backlog backlog() {
        long files = 0;
        long bytes = 0;
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path sidecar : entries.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                String name = sidecar.getFileName().toString();
                Path log = directory.resolve(name.substring(0, name.length() - ".json".length()) + ".log");
                try {
                    bytes += Files.size(log);
                    files++;
                } catch (IOException gone) {
                    // uploaded and deleted meanwhile
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not read the spool directory {}: {}", directory, e.getMessage());
        }
        return new Backlog(files, bytes);
    }

    /** See {@link #backlog()}. */
    public record Backlog(long files, long bytes) {
    }

    private Path sidecar(String id) {
        return directory.resolve(id + ".json");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts what reached the spool file, so that followers know how far they can read. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private volatile long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        long count() {
            return count;
        }
    }

    /** The sidecar of a complete spool file. */
    record SpoolEntry(BuildRef build, LogInfo log) {
    }
}
