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
 * Logs being written to the spool right now, so that they can be followed while they grow. A follower reads the
 * spool file itself and waits at its end until more is written or the log is complete.
 */
@Component("liveLogs")
public class LiveLogs {

    private final Map<String, LiveLog> writing = new ConcurrentHashMap<>();

    LiveLog start(BuildRef build, Path file, boolean gzip) {
        LiveLog log = new LiveLog(file, gzip);
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

    /** The uncompressed log of a build being written now, from its start, ending when it is complete. */
    public Optional<InputStream> follow(BuildRef build) throws IOException {
        LiveLog log = writing.get(key(build));
        return log == null ? Optional.empty() : Optional.of(log.follow());
    }

    /** Like {@link #follow}, but waits up to {@code timeout} for the log to start being written. */
    public Optional<InputStream> await(BuildRef build, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!writing.containsKey(key(build)) && System.nanoTime() < deadline) {
                wait(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
            }
        }
        return follow(build);
    }

    private static String key(BuildRef build) {
        return build.namespace() + "/" + build.name();
    }

    /** One log being written; the writer tells how far the file is readable. */
    static final class LiveLog {
        private final Path file;
        private final boolean gzip;
        private long readable;
        private boolean ended;
        private volatile int followers;

        LiveLog(Path file, boolean gzip) {
            this.file = file;
            this.gzip = gzip;
        }

        boolean hasFollowers() {
            return followers > 0;
        }

        synchronized void readableUpTo(long bytes) {
            readable = bytes;
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        InputStream follow() throws IOException {
            followers++;
            InputStream raw = new Tail(new RandomAccessFile(file.toFile(), "r"));
            return gzip ? new Gunzip(raw) : raw;
        }

        private synchronized long waitBeyond(long position) throws InterruptedIOException {
            while (readable <= position && !ended) {
                try {
                    wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
            }
            return readable;
        }

        /**
         * A gzip reader made at the first read (its header may not be written yet when following starts); unlike
         * {@link LazyInputStream} it closes the file even when it was never read, which ends the follow.
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
        private final class Tail extends InputStream {
            private final RandomAccessFile in;
            private long position;

            Tail(RandomAccessFile in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long limit = waitBeyond(position);
                if (limit <= position) {
                    return -1; // ended
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
                followers--;
                in.close();
            }
        }
    }
}
