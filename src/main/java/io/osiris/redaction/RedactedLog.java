package io.osiris.redaction;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A log stream with its secrets masked as it is read. It is cut into lines (a secret split between two reads of the
 * source is whole again in its line) and each line is masked on its own, newlines kept, so line numbers do not
 * change. A line longer than {@value #MAX_LINE} bytes is masked in pieces cut at a space where there is one near
 * the end, so only a secret that is itself longer than that can be cut.
 */
public final class RedactedLog extends InputStream {

    static final int MAX_LINE = 64 * 1024;
    /** How far back from the piece's end a space is looked for, to cut a very long line between words. */
    private static final int CUT_WINDOW = 4 * 1024;

    private final InputStream source;
    private final LineRedactor redactor;
    private final byte[] read = new byte[64 * 1024];
    private byte[] line = new byte[8 * 1024];
    private int lineLength;
    private byte[] out = new byte[128 * 1024];
    private int outStart;
    private int outEnd;
    private boolean sourceEnded;

    RedactedLog(InputStream source, LineRedactor redactor) {
        this.source = source;
        this.redactor = redactor;
    }

    /** A log masked with the built-in rules only (benchmarks, tools). */
    public static RedactedLog withBuiltInRules(InputStream source) {
        return new RedactedLog(source, new LineRedactor(BuiltInDetectors.ALL, java.util.List.of()));
    }

    /** What was masked, by rule: complete once the stream has been read to its end. */
    public Map<String, Long> masked() {
        return Map.copyOf(redactor.masked());
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outStart == outEnd) {
            if (sourceEnded) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, outEnd - outStart);
        System.arraycopy(out, outStart, b, off, n);
        outStart += n;
        return n;
    }

    /**
     * Reads from the source and masks every line it completes. A line that lies whole in what was read is masked in
     * place (no copy); only the start of a line cut by the end of a read is carried over.
     */
    private void fill() throws IOException {
        outStart = 0;
        outEnd = 0;
        int n = source.read(read);
        if (n < 0) {
            sourceEnded = true;
            if (lineLength > 0) {
                emit(line, 0, lineLength, false);
                lineLength = 0;
            }
            return;
        }
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (read[i] != '\n') {
                continue;
            }
            if (lineLength == 0) {
                emit(read, start, i - start, true);
            } else {
                carry(start, i - start);
                emit(line, 0, lineLength, true);
                lineLength = 0;
            }
            start = i + 1;
        }
        if (start < n) {
            carry(start, n - start);
        }
    }

    /** Adds bytes of a line not complete yet; past the limit, its start is masked and passed on in a piece. */
    private void carry(int from, int count) {
        while (count > 0) {
            if (lineLength == MAX_LINE) {
                emitPiece();
            }
            if (lineLength == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
            }
            int n = Math.min(count, line.length - lineLength);
            System.arraycopy(read, from, line, lineLength, n);
            lineLength += n;
            from += n;
            count -= n;
        }
    }

    /** A line longer than the limit: masks and passes on its start up to a space near the end, keeps the rest. */
    private void emitPiece() {
        int cut = lineLength;
        for (int i = lineLength - 1; i >= lineLength - CUT_WINDOW; i--) {
            if (line[i] == ' ' || line[i] == '\t') {
                cut = i + 1;
                break;
            }
        }
        emit(line, 0, cut, false);
        System.arraycopy(line, cut, line, 0, lineLength - cut);
        lineLength -= cut;
    }

    private void emit(byte[] buffer, int offset, int count, boolean newline) {
        byte[] masked = redactor.redact(buffer, offset, count);
        byte[] from = masked == null ? buffer : masked;
        int at = masked == null ? offset : 0;
        int length = masked == null ? count : masked.length;
        int size = length + (newline ? 1 : 0);
        if (outEnd + size > out.length) {
            out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, outEnd + size));
        }
        System.arraycopy(from, at, out, outEnd, length);
        outEnd += length;
        if (newline) {
            out[outEnd++] = '\n';
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
