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
public final class RedactedLog extends InputStream implements MaskedLog {

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
    /** The last byte (lower case) of the carried start of a line, and whether a hint began in it. */
    private int carriedPrevious = '\n';
    private boolean carriedHint;
    private static final byte[] NEWLINE = {'\n'};

    RedactedLog(InputStream source, LineRedactor redactor) {
        this.source = source;
        this.redactor = redactor;
    }

    /** A log masked with the built-in rules only (benchmarks, tools). */
    public static RedactedLog withBuiltInRules(InputStream source) {
        return new RedactedLog(source, new LineRedactor(BuiltInDetectors.ALL, java.util.List.of()));
    }

    /** What was masked, by rule: complete once the stream has been read to its end. */
    @Override
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
     * Reads from the source and masks every line it completes. One pass over the bytes finds the lines and whether a
     * hint of a rule starts in them; lines without one are passed on in runs, as they were read. Only the start of a
     * line cut by the end of a read is carried over.
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
        int plainFrom = 0;
        int previous = carriedPrevious;
        boolean hinted = carriedHint;
        for (int i = 0; i < n; i++) {
            int current = LineRedactor.LOWER[read[i] & 0xff] & 0xff;
            if (current != '\n') {
                if (!hinted && redactor.startsHint(previous, current)) {
                    hinted = i == 0 || redactor.hintAt(read, i - 1, n); // a hint begun in the carry counts
                }
                previous = current;
                continue;
            }
            if (lineLength > 0) {
                carry(start, i - start);
                lookAt(line, 0, lineLength, hinted);
                lineLength = 0;
                plainFrom = i + 1;
            } else if (hinted || redactor.everyLine()) {
                pass(plainFrom, start);
                lookAt(read, start, i - start, true);
                plainFrom = i + 1;
            }
            start = i + 1;
            hinted = false;
            previous = '\n';
        }
        pass(plainFrom, start);
        if (start < n) {
            carry(start, n - start);
        }
        carriedPrevious = previous;
        carriedHint = hinted;
    }

    /** A complete line: masked when it may hold a secret, else passed on as it is; its newline follows. */
    private void lookAt(byte[] buffer, int offset, int count, boolean hinted) {
        if (hinted || redactor.everyLine()) {
            emit(buffer, offset, count, true);
        } else {
            append(buffer, offset, count);
            append(NEWLINE, 0, 1);
        }
    }

    /** Whole lines of the read buffer that need no masking, newlines included. */
    private void pass(int from, int to) {
        if (to > from) {
            append(read, from, to - from);
        }
    }

    private void append(byte[] buffer, int offset, int count) {
        if (outEnd + count > out.length) {
            out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, outEnd + count));
        }
        System.arraycopy(buffer, offset, out, outEnd, count);
        outEnd += count;
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
        if (masked == null) {
            append(buffer, offset, count);
        } else {
            append(masked, 0, masked.length);
        }
        if (newline) {
            append(NEWLINE, 0, 1);
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
