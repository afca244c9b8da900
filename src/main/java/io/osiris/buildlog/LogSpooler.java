package io.osiris.buildlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.records.BuildRef;
import io.osiris.records.HomeCluster;
import io.osiris.records.LogInfo;
import io.osiris.redaction.RedactedLog;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.StorageProperties;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes an incoming log stream to a spool file exactly as it will be stored (gzip by default), counting, hashing
 * and bounding it on the way, so that no log is ever held in memory and a failed upload can be retried. Each spool
 * file {@code <id>.log} gets a sidecar {@code <id>.json} once it is complete; both are on disk (fsync) before
 * {@link #spool} returns, so an acknowledged log survives a crash. A file without sidecar, or shorter than its
 * sidecar says, is a torn write and is discarded. Ids sort in the order logs were received, and leftovers are
 * shipped in that order. The spool as a whole is bounded by {@code osiris.spool.max-size} (507 when full).
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
    /** The newest complete spool file of each build whose upload is not done: reads are answered from it. */
    private final Map<BuildRef, SpooledLog> pending = new ConcurrentHashMap<>();
    /** Bytes on disk in the spool, counted as they are written. */
    private final AtomicLong used = new AtomicLong();
    /** Complete spool files (a sidecar exists) not stored yet, by id, with their size: the backlog. */
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();
    private final AtomicLong waitingBytes = new AtomicLong();
    private final long maxSize;
    private final HomeCluster home;
    /** Last id's sequence number: microseconds since the epoch, strictly increasing. */
    private final AtomicLong sequence = new AtomicLong();

    public LogSpooler(SpoolProperties spool, BuildKeys keys, StorageProperties storage, ObjectMapper json,
                      LiveLogs live, LogMetrics metrics, HomeCluster home) throws IOException {
        this.home = home;
        this.directory = spool.directory();
        this.keys = keys;
        this.storage = storage;
        this.json = json;
        this.live = live;
        this.metrics = metrics;
        this.maxSize = spool.maxSize().toBytes();
        Files.createDirectories(directory);
        for (SpooledLog log : complete()) {
            pending.merge(log.build(), log, LogSpooler::newer);
            used.addAndGet(log.log().storedSize()); // what earlier runs left
            waitFor(log);
        }
    }

    /** Spools {@code in} for the build record {@code target}; fails with 413 past {@code maxBytes}. */
    public SpooledLog spool(InputStream in, BuildRef target, long maxBytes) {
        return spool(in, target, maxBytes, false);
    }

    /** As above; {@code incomplete} marks a log that may miss its start (see LogInfo). */
    public SpooledLog spool(InputStream in, BuildRef target, long maxBytes, Boolean incomplete) {
        if (used.get() >= maxSize) {
            metrics.notStored("spool_full");
            throw spoolFull();
        }
        String id = nextId();
        inFlight.add(id);
        Path file = directory.resolve(id + ".log");
        try (InputStream body = in == null ? InputStream.nullInputStream() : in) {
            LogInfo log = write(body, file, target, maxBytes, Boolean.TRUE.equals(incomplete) ? Boolean.TRUE : null);
            SpooledLog spooled = new SpooledLog(id, file, target, log);
            writeSidecar(id, new SpoolEntry(target, log));
            waitFor(spooled);
            pending.merge(target, spooled, LogSpooler::newer);
            return spooled;
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof OsirisException)) {
                // the sender stopped (idle past the timeout) or went away: its doing, one line, no stack trace
                LOG.info("Log of {} dropped, nothing kept: it could not be read to its end ({})", target, e.toString());
            }
            release(id);
            remove(file);
            deleteQuietly(sidecar(id));
            ErrorKind kind = e instanceof OsirisException oe ? oe.kind() : null;
            metrics.notStored(kind == ErrorKind.PAYLOAD_TOO_LARGE ? "too_large"
                    : kind == ErrorKind.SPOOL_FULL ? "spool_full" : "unreadable");
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
        try (CountingOutputStream counted = new CountingOutputStream(Files.newOutputStream(file), used, maxSize);
             OutputStream out = open(counted)) {
            // followers may read from here on: the file exists
            follow = live.start(target, file, storage.compression() == StorageProperties.Compression.gzip);
            Object writing = follow.writerLock();
            follow.flushWith(() -> {
                out.flush();
                return counted.count();
            });
            try {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    size += n;
                    if (size > maxBytes) {
                        throw new OsirisException(ErrorKind.PAYLOAD_TOO_LARGE, "log",
                                "the log is larger than the limit of " + maxBytes + " bytes");
                    }
                    sha256.update(buffer, 0, n);
                    long chunkNewlines = 0;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            chunkNewlines++;
                        }
                    }
                    newlines += chunkNewlines;
                    last = buffer[n - 1];
                    synchronized (writing) {
                        out.write(buffer, 0, n);
                        if (follow.flushDue()) {
                            out.flush(); // a sync flush: followers can decompress everything written so far
                        }
                    }
                    follow.wrote(buffer, n, chunkNewlines, counted.count());
                }
                synchronized (writing) {
                    out.close();
                }
            } finally {
                follow.detach(); // before the stream is closed on a failure: no follower flushes it any more
            }
            follow.complete(counted.count());
            force(file);
        } finally {
            if (follow != null) {
                live.end(target, follow);
            }
        }
        long lines = newlines + (size > 0 && last != '\n' ? 1 : 0);
        Map<String, Long> masked = in instanceof RedactedLog redacted && !redacted.masked().isEmpty()
                ? redacted.masked() : null;
        return new LogInfo(keys.logKey(target), size, Files.size(file), HexFormat.of().formatHex(sha256.digest()),
                lines, keys.encoding(), null, null, incomplete, masked);
    }

    private OutputStream open(OutputStream file) throws IOException {
        OutputStream out = new BufferedOutputStream(file, BUFFER);
        if (storage.compression() == StorageProperties.Compression.none) {
            return out;
        }
        int level = storage.compressionLevel();
        // compressing is what bounds ingest on one core: blocks are compressed on all of them
        return new ParallelGzipOutputStream(out, level == 0 ? Deflater.DEFAULT_COMPRESSION : level);
    }

    /**
     * Complete spool files that no request is working on (logs whose upload failed, or that were received before a
     * crash), oldest first; each is marked in flight for the caller. Torn spool files are removed.
     */
    public List<SpooledLog> leftovers() {
        List<SpooledLog> found = new ArrayList<>();
        for (SpooledLog log : complete()) {
            if (inFlight.add(log.id())) {
                found.add(log);
            }
        }
        return found;
    }

    /** The newest log of {@code build} received and not yet stored, while its spool file is still there. */
    public Optional<SpooledLog> pending(BuildRef build) {
        return Optional.ofNullable(pending.get(build)).filter(log -> Files.exists(log.file()));
    }

    /** Complete spool files nobody is writing or uploading, in the order they were received. */
    private List<SpooledLog> complete() {
        List<SpooledLog> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json.tmp") && !inFlight.contains(name.substring(0, name.length() - 9))) {
                    deleteQuietly(file); // a sidecar that was never completed
                }
                if (!name.endsWith(".log")) {
                    continue;
                }
                String id = name.substring(0, name.length() - ".log".length());
                if (inFlight.contains(id)) {
                    continue;
                }
                Optional<SpoolEntry> entry = entry(id);
                long size = sizeOf(file);
                if (entry.isPresent() && size == entry.get().log().storedSize()) {
                    found.add(new SpooledLog(id, file, entry.get().build(), entry.get().log()));
                } else if (!inFlight.contains(id)) {
                    LOG.warn("Removing torn spool file {} ({} bytes)", file, size);
                    remove(file);
                    deleteQuietly(sidecar(id));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private Optional<SpoolEntry> entry(String id) {
        Path sidecar = sidecar(id);
        if (!Files.exists(sidecar)) {
            return Optional.empty();
        }
        try {
            com.fasterxml.jackson.databind.JsonNode entry = json.readTree(sidecar.toFile());
            if (entry.path("build") instanceof com.fasterxml.jackson.databind.node.ObjectNode build
                    && !build.has("cluster")) {
                build.put("cluster", home.name()); // spooled by a version before clusters
            }
            return Optional.of(json.treeToValue(entry, SpoolEntry.class));
        } catch (IOException e) {
            LOG.warn("Unreadable spool sidecar {}: {}", sidecar, e.getMessage());
            return Optional.empty();
        }
    }

    /** The log is stored: its spool file goes. */
    public void delete(SpooledLog spooled) {
        pending.remove(spooled.build(), spooled);
        Long size = waiting.remove(spooled.id());
        if (size != null) {
            waitingBytes.addAndGet(-size);
        }
        deleteQuietly(sidecar(spooled.id()));
        remove(spooled.file());
        release(spooled.id());
    }

    /** The upload failed: the spool file stays for the retry pass. */
    public void release(String id) {
        inFlight.remove(id);
    }

    /** Spooled logs waiting for their upload (complete ones: a sidecar exists) and their size on disk. */
    public Backlog backlog() {
        return new Backlog(waiting.size(), waitingBytes.get());
    }

    private void waitFor(SpooledLog log) {
        if (waiting.putIfAbsent(log.id(), log.log().storedSize()) == null) {
            waitingBytes.addAndGet(log.log().storedSize());
        }
    }

    /** See {@link #backlog()}. */
    public record Backlog(long files, long bytes) {
    }

    private Path sidecar(String id) {
        return directory.resolve(id + ".json");
    }

    /** Written to a temporary file, synced and renamed: a sidecar is whole or absent, and on disk once returned. */
    private void writeSidecar(String id, SpoolEntry entry) throws IOException {
        Path temporary = directory.resolve(id + ".json.tmp");
        json.writeValue(temporary.toFile(), entry);
        force(temporary);
        Files.move(temporary, sidecar(id), StandardCopyOption.ATOMIC_MOVE);
        force(directory);
    }

    private static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Sortable, unique and increasing ids: the spool's order is the order logs were received. */
    private String nextId() {
        long micros = sequence.updateAndGet(last -> Math.max(last + 1,
                ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now())));
        return String.format("%016x-%s", micros, UUID.randomUUID().toString().substring(0, 8));
    }

    private static SpooledLog newer(SpooledLog a, SpooledLog b) {
        return a.id().compareTo(b.id()) >= 0 ? a : b;
    }

    private OsirisException spoolFull() {
        return new OsirisException(ErrorKind.SPOOL_FULL, "log", "the spool of this replica is full ("
                + maxSize + " bytes of logs waiting for storage); try again later");
    }

    /** Deletes a spool file and gives its bytes back to the quota. */
    private void remove(Path file) {
        long size = sizeOf(file);
        try {
            if (Files.deleteIfExists(file)) {
                used.addAndGet(-size);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return 0;
        }
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

    /**
     * Counts what reached the spool file, so that followers know how far they can read, and charges it to the spool's
     * quota: 507 the moment the spool would pass its size.
     */
    private final class CountingOutputStream extends java.io.FilterOutputStream {
        private final AtomicLong used;
        private final long maxSize;
        private volatile long count;

        CountingOutputStream(OutputStream out, AtomicLong used, long maxSize) {
            super(out);
            this.used = used;
            this.maxSize = maxSize;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            charge(len);
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            charge(1);
            out.write(b);
            count++;
        }

        private void charge(int len) {
            if (used.addAndGet(len) > maxSize) {
                used.addAndGet(-len);
                throw spoolFull();
            }
        }

        long count() {
            return count;
        }
    }

    /** The sidecar of a complete spool file. */
    record SpoolEntry(BuildRef build, LogInfo log) {
    }
}
