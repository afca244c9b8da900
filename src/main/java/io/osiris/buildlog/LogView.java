package io.osiris.buildlog;

import io.osiris.records.LogInfo;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/**
 * Views of a stored log as streams, decompressing on the fly: the whole log, a byte range of it, or its last lines.
 * Nothing here reads more than a buffer ahead, so any log size passes with a small heap.
 */
public final class LogView {

    private static final int BUFFER = 64 * 1024;

    private LogView() {
    }

    /** The uncompressed log from the stored bytes. */
    public static InputStream decoded(InputStream stored, LogInfo log) {
        if (!log.isGzip()) {
            return stored;
        }
        try {
            return new GZIPInputStream(stored, BUFFER);
        } catch (IOException e) {
            throw new UncheckedIOException("stored log " + log.key() + " is not valid gzip", e);
        }
    }

    /** Bytes {@code [offset, offset + length)} of the uncompressed log. */
    public static InputStream range(InputStream decoded, long offset, long length) {
        try {
            decoded.skipNBytes(offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Bounded(decoded, length);
    }

    /** The last {@code tailLines} lines, given the log's line count; what comes before is passed at once. */
    public static InputStream tail(InputStream decoded, long totalLines, long tailLines) {
        PositionedLog tail = new PositionedLog(decoded, LogStart.lastLines(tailLines), () -> totalLines);
        try {
            tail.skipToStart();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tail;
    }

    /** The lines {@code [fromLine, fromLine + count)} (1-based), read from the start and ended after them. */
    public static InputStream lines(InputStream decoded, long fromLine, long count) {
        return new LineBounded(new PositionedLog(decoded, LogStart.atLine(fromLine), () -> 0), count);
    }

    /** Ends after {@code lines} newlines (the bytes of the last one included). */
    private static final class LineBounded extends BlockReads {
        private final InputStream in;
        private long lines;

        LineBounded(InputStream in, long lines) {
            this.in = in;
            this.lines = lines;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (lines <= 0) {
                return -1;
            }
            // a buffer at a time; whatever lies past the last wanted newline is dropped
            int n = in.read(b, off, len);
            for (int i = 0; i < n; i++) {
                if (b[off + i] == '\n' && --lines == 0) {
                    return i + 1;
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Ends after {@code remaining} bytes and closes the stream under it. */
    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
