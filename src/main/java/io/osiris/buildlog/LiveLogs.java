package io.osiris.buildlog;

import io.osiris.records.BuildRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Component;

/**
 * Logs being written to the spool right now, so that they can be followed while they grow.
 * <p>
 * Many followers of one log share one copy of it: once a log has a follower, the writer keeps the last
 * {@link #WINDOW} bytes it wrote (uncompressed) in memory, and followers read from there. A follower that starts behind that window (from the
 * beginning of a long log, say) or falls out of it reads the spool file on its own until it reaches the window
 * again; none of them slows the writer down. The writer flushes the spool file after each chunk while the log has
 * followers, and at least every {@link #FLUSH_INTERVAL} otherwise; a follower that comes flushes it once itself
 * (under the writer's lock), so that what lies behind the window is on disk even when the writer wrote more than the
 * window since its last flush and has written nothing since.
 */
@Component("liveLogs")
public class LiveLogs {

    /** Bytes of a followed log kept in memory for its followers. */
    static final int WINDOW = 256 * 1024;
    /** Longest time a writer without followers keeps written bytes in its compressor. */
    static final java.time.Duration FLUSH_INTERVAL = java.time.Duration.ofSeconds(1);

    private final Map<String, LiveLog> writing = new ConcurrentHashMap<>();
    /** Readers of spool files open now, all logs together (followers behind a window). */
    private final java.util.concurrent.atomic.AtomicInteger spoolReaders = new java.util.concurrent.atomic.AtomicInteger();

    LiveLog start(BuildRef build, Path file, boolean gzip) {
        LiveLog log = new LiveLog(file, gzip, spoolReaders);
        writing.put(key(build), log);
        synchronized (this) {
            notifyAll();
        }
        return log;
    }

    void end(BuildRef build, LiveLog log) {
        writing.remove(key(build), log);
        log.end();
    }

    /** The uncompressed log of a build being written now, from {@code start}, ending when it is complete. */
    public Optional<Follower> follow(BuildRef build, LogStart start) throws IOException {
        LiveLog log = writing.get(key(build));
        return log == null ? Optional.empty() : Optional.of(log.follow(start));
    }

    /** Like {@link #follow}, but waits up to {@code timeout} for the log to start being written. */
    public Optional<Follower> await(BuildRef build, LogStart start, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!writing.containsKey(key(build)) && System.nanoTime() < deadline) {
                wait(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
        return follow(build, start);
    }

    public Optional<Follower> await(BuildRef build, Duration timeout) throws IOException, InterruptedException {
        return await(build, LogStart.BEGINNING, timeout);
    }

    /** Readers of spool files open now: followers that are behind the window of their log. */
    int spoolReaders() {
        return spoolReaders.get();
    }

    /** Bytes of memory the window of a build's live log holds: none until it has a follower. */
    int windowBytes(BuildRef build) {
        LiveLog log = writing.get(key(build));
        return log == null ? 0 : log.windowBytes();
    }

    private static String key(BuildRef build) {
        return build.cluster() + ":" + build.namespace() + "/" + build.name();
    }

    /** A reader of a log being written: blocks at its end until more is written; -1 once the log is complete. */
    public interface Follower extends java.io.Closeable {
        /** As {@link InputStream#read(byte[], int, int)}, but answers 0 when nothing was written for {@code idle}. */
        int read(byte[] b, int off, int len, Duration idle) throws IOException;

        /** The line number of the first byte read (see {@link PositionedLog#firstLine()}). */
        long firstLine();

        /** The follower as a plain stream (blocking until there is something to read). */
        InputStream stream();
    }

    /** Flushes the writer's spool stream; answers how many bytes of the spool file are on disk then. */
    interface SpoolFlush {
        long flush() throws IOException;
    }

    /** One log being written; the writer reports each chunk it wrote. */
    static final class LiveLog {
        /** Held while the spool stream is written, flushed or closed: by the writer, or a follower flushing it. */
        private final Object writerLock = new Object();
        /** How a joining follower flushes the writer's stream; null once the writer is done with it. */
        private SpoolFlush spoolFlush;
        private final Path file;
        private final boolean gzip;
        /** Compressed bytes on disk that a reader may decode (the writer flushed them). */
        private long readable;
        /** Newlines among the bytes written. */
        private long newlines;
        private boolean ended;
        private boolean complete;
        private final Window window = new Window(WINDOW);
        private int followers;
        private long lastFlush = System.nanoTime();
        private final java.util.concurrent.atomic.AtomicInteger spoolReaders;

        LiveLog(Path file, boolean gzip, java.util.concurrent.atomic.AtomicInteger spoolReaders) {
            this.file = file;
            this.gzip = gzip;
            this.spoolReaders = spoolReaders;
        }

        /** The lock the writer holds while it writes to, flushes or closes the spool stream. */
        Object writerLock() {
            return writerLock;
        }

        /** How followers that come flush the writer's stream, until {@link #detach()}. */
        void flushWith(SpoolFlush flush) {
            synchronized (writerLock) {
                spoolFlush = flush;
            }
        }

        /** The writer is done with its stream (closed, or failed): no follower flushes it from now on. */
        void detach() {
            synchronized (writerLock) {
                spoolFlush = null;
            }
        }

        /**
         * A follower came: what the writer wrote since its last flush goes to disk now, since the writer may write
         * nothing more for a while and the window may not reach back that far. A failed flush is left to the writer,
         * whose own next write or close meets the same failure.
         */
        private void flushForFollower() {
            synchronized (writerLock) {
                if (spoolFlush == null) {
                    return;
                }
                try {
                    long onDisk = spoolFlush.flush();
                    synchronized (this) {
                        readable = Math.max(readable, onDisk);
                        lastFlush = System.nanoTime();
                        notifyAll();
                    }
                } catch (IOException e) {
                    // the writer sees it
                }
            }
        }

        /** Whether the writer should flush its compressor now (see the class comment). */
        synchronized boolean flushDue() {
            long now = System.nanoTime();
            if (followers > 0 || now - lastFlush >= FLUSH_INTERVAL.toNanos()) {
                lastFlush = now;
                return true;
            }
            return false;
        }

        /**
         * The writer wrote {@code chunk[0, n)} holding {@code lines} newlines; {@code flushed} bytes of the spool
         * file are on disk (a reader decodes them up to the writer's last flush).
         */
        synchronized void wrote(byte[] chunk, int n, long lines, long flushed) {
            newlines += lines;
            window.append(chunk, n);
            readable = Math.max(readable, flushed);
            notifyAll();
        }

        synchronized void complete(long flushed) {
            readable = flushed;
            complete = true;
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        Follower follow(LogStart start) {
            synchronized (this) {
                followers++;
                window.open();
            }
            flushForFollower();
            return new LiveFollower(this, start);
        }

        private synchronized int windowBytes() {
            return window.bytes();
        }

        private synchronized void left() {
            followers--;
        }

        private synchronized long newlines() {
            return newlines;
        }

        private synchronized boolean inWindow(long position) {
            return window.start() <= position && position <= window.end();
        }

        /** Reads from the window at {@code position}: bytes, -1 at the end, 0 after {@code idle}, BEHIND. */
        private synchronized int readWindow(long position, byte[] b, int off, int len, Duration idle)
                throws IOException {
            long deadline = System.nanoTime() + idle.toNanos();
            while (true) {
                if (position < window.start()) {
                    return BEHIND;
                }
                if (position < window.end()) {
                    return window.read(position, b, off, len);
                }
                if (ended) {
                    checkComplete();
                    return -1;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return 0;
                }
                pause(Math.min(1000, Math.max(1, left / 1_000_000)));
            }
        }

        private void checkComplete() throws IOException {
            if (!complete) {
                throw new IOException("the log's upload broke off before its end");
            }
        }

        /** Blocks until the spool file is decodable beyond {@code position}; the limit, or -1 at the end. */
        private synchronized long waitBeyond(long position) throws IOException {
            while (readable <= position && !ended) {
                pause(1000);
            }
            if (readable <= position) {
                checkComplete();
                return -1;
            }
            return readable;
        }

        private void pause(long millis) throws InterruptedIOException {
            try {
                wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException();
            }
        }

        /** A reader of the spool file of its own, uncompressed, from the start. */
        private InputStream decoder() throws IOException {
            InputStream raw = new Tail(new RandomAccessFile(file.toFile(), "r"));
            spoolReaders.incrementAndGet();
            return gzip ? new Gunzip(raw) : raw;
        }

        private static final int BEHIND = -2;

        /**
         * A gzip reader made at the first read (its header may not be written yet when following starts); it closes
         * the file even when it was never read.
         */
        private static final class Gunzip extends InputStream {
            private final InputStream raw;
            private InputStream gunzip;

            Gunzip(InputStream raw) {
                this.raw = raw;
            }

            @Override
            public int read() throws IOException {
                return stream().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return stream().read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                raw.close();
            }

            private InputStream stream() throws IOException {
                if (gunzip == null) {
                    gunzip = new GZIPInputStream(raw, 64 * 1024);
                }
                return gunzip;
            }
        }

        /** Reads the spool file up to what the writer has flushed; -1 once the log has ended and all is read. */
        private final class Tail extends BlockReads {
            private final RandomAccessFile in;
            private long position;
            private boolean closed;

            Tail(RandomAccessFile in) {
                this.in = in;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long limit = waitBeyond(position);
                if (limit < 0) {
                    return -1;
                }
                in.seek(position);
                int n = in.read(b, off, (int) Math.min(len, limit - position));
                if (n > 0) {
                    position += n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    spoolReaders.decrementAndGet();
                }
                in.close();
            }
        }
    }

    /** A follower: a {@link PositionedLog} over the log's shared stream. */
    private static final class LiveFollower implements Follower {
        private final LiveLog log;
        private final SharedStream shared;
        private final PositionedLog positioned;
        private boolean closed;

        LiveFollower(LiveLog log, LogStart start) {
            this.log = log;
            this.shared = new SharedStream(log);
            // "the last N lines" are those written when the follower asked, not when it first reads
            long linesWhenAsked = log.newlines();
            this.positioned = new PositionedLog(shared, start, () -> linesWhenAsked);
        }

        @Override
        public long firstLine() {
            return positioned.firstLine();
        }

        @Override
        public int read(byte[] b, int off, int len, Duration idle) throws IOException {
            shared.idle = idle;
            return positioned.read(b, off, len);
        }

        @Override
        public InputStream stream() {
            return new BlockReads() {

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    int n;
                    while ((n = LiveFollower.this.read(b, off, len, Duration.ofSeconds(10))) == 0) {
                        // nothing written for a while: wait on
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    LiveFollower.this.close();
                }
            };
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            log.left();
            shared.close();
        }
    }

    /**
     * The uncompressed log at a follower's position: from the shared window, or from a reader of the spool file of
     * the follower's own while it is behind the window. A read answers 0 when nothing was written for {@code idle}.
     */
    private static final class SharedStream extends BlockReads {
        private final LiveLog log;
        private InputStream file;
        private long position;
        Duration idle = Duration.ofSeconds(10);

        SharedStream(LiveLog log) {
            this.log = log;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                if (file != null) {
                    if (log.inWindow(position)) {
                        file.close();
                        file = null;
                        continue;
                    }
                    int n = file.read(b, off, len);
                    if (n > 0) {
                        position += n;
                    }
                    return n;
                }
                int n = log.readWindow(position, b, off, len, idle);
                if (n == LiveLog.BEHIND) {
                    // behind the window (a long log read from its start, or a slow reader): the file, on its own
                    file = log.decoder();
                    file.skipNBytes(position);
                    continue;
                }
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                file.close();
            }
        }
    }

    /**
     * The last bytes written of a log, a ring of fixed size; offsets are those of the uncompressed log. The ring is
     * made when the first follower comes ({@link #open()}), so a log nobody follows (most uploads) holds no window;
     * what was written before lies in the spool file, which the coming follower has flushed.
     */
    private static final class Window {
        private final int size;
        private byte[] ring;
        /** Bytes written so far: the window holds the last of them. */
        private long end;
        /** Where the ring's bytes begin: bytes written before it was made are not in it. */
        private long from;

        Window(int size) {
            this.size = size;
        }

        void open() {
            if (ring == null) {
                ring = new byte[size];
                from = end;
            }
        }

        int bytes() {
            return ring == null ? 0 : ring.length;
        }

        long start() {
            return ring == null ? end : Math.max(from, end - ring.length);
        }

        long end() {
            return end;
        }

        void append(byte[] chunk, int n) {
            if (ring == null) {
                end += n;
                return;
            }
            int skip = Math.max(0, n - ring.length); // a chunk larger than the ring: only its last bytes
            long at = end + skip;
            int left = n - skip;
            int src = skip;
            while (left > 0) {
                int index = (int) (at % ring.length);
                int count = Math.min(left, ring.length - index);
                System.arraycopy(chunk, src, ring, index, count);
                at += count;
                src += count;
                left -= count;
            }
            end += n;
        }

        int read(long position, byte[] b, int off, int len) {
            int n = (int) Math.min(len, end - position);
            int index = (int) (position % ring.length);
            int first = Math.min(n, ring.length - index);
            System.arraycopy(ring, index, b, off, first);
            if (first < n) {
                System.arraycopy(ring, 0, b, off + first, n - first);
            }
            return n;
        }
    }
}
