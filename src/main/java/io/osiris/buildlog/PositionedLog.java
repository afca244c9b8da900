package io.osiris.buildlog;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * An uncompressed log read from a {@link LogStart}: at the first read it passes what comes before the start,
 * counting newlines, so that the line number of the first byte it returns is known ({@link #firstLine()}) and the
 * bytes it returns can be numbered by line. Reads a buffer at a time, never more.
 */
public final class PositionedLog extends BlockReads {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final LogStart start;
    private final LongSupplier newlines;
    private boolean positioned;
    private long firstLine = 1;
    private long position;
    /** Bytes read past the start while looking for it, returned first. */
    private byte[] rest = new byte[0];
    private int restAt;

    /**
     * @param newlines the log's newline count, asked when the reader positions itself (for {@link LogStart#lastLines})
     */
    public PositionedLog(InputStream in, LogStart start, LongSupplier newlines) {
        this.in = in;
        this.start = start;
        this.newlines = newlines;
    }

    /** The line number of the first byte returned (1 when reading from the start), known after the first read. */
    public long firstLine() {
        return firstLine;
    }

    /** The offset in the uncompressed log of the next byte to be returned, once positioned. */
    public long position() {
        return position;
    }

    public boolean positioned() {
        return positioned;
    }

    /** Passes what comes before the start now rather than at the first read. */
    public void skipToStart() throws IOException {
        if (!positioned) {
            seek();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (!positioned) {
            seek();
        }
        if (len == 0) {
            return 0;
        }
        int n;
        if (restAt < rest.length) {
            n = Math.min(len, rest.length - restAt);
            System.arraycopy(rest, restAt, b, off, n);
            restAt += n;
        } else {
            n = in.read(b, off, len);
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    private void seek() throws IOException {
        positioned = true;
        long skipNewlines = start.newlinesToSkip(newlines.getAsLong());
        long skipBytes = skipNewlines < 0 ? start.offset() : Long.MAX_VALUE;
        byte[] buffer = new byte[BUFFER];
        long passedNewlines = 0;
        while (skipBytes > 0 && (skipNewlines < 0 || passedNewlines < skipNewlines)) {
            int n = in.read(buffer, 0, (int) Math.min(BUFFER, skipBytes));
            if (n == -1) {
                break;
            }
            int used = n;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    passedNewlines++;
                    if (passedNewlines == skipNewlines) {
                        used = i + 1;
                        break;
                    }
                }
            }
            position += used;
            skipBytes -= used;
            if (used < n) {
                rest = java.util.Arrays.copyOfRange(buffer, used, n);
            }
        }
        firstLine = passedNewlines + 1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
