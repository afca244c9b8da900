package io.osiris.redaction;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A log stream with its secrets masked as it is read. It is cut into lines (a secret split between two reads of the
 * source is whole again in its line) and each line is masked on its own, newlines kept, so line numbers do not
 * change. Whole stretches of lines without any rule's hint are passed on as they are, found by one scan
 * ({@link LineRedactor#firstHint}); only a line with a hint is masked on its own. A line longer than
 * {@value #MAX_LINE} bytes is masked in pieces cut at a space where there is one near the end, so only a secret that
 * is itself longer than that can be cut.
 */
public final class RedactedLog extends InputStream {

    static final int MAX_LINE = 64 * 1024;
    private static final int READ = 64 * 1024;
    /** How far back from the piece's end a space is looked for, to cut a very long line between words. */
    private static final int CUT_WINDOW = 4 * 1024;

    private final InputStream source;
    private final LineRedactor redactor;
    /** The start of a line not complete yet (fewer than {@value #MAX_LINE} bytes), then what was read after it. */
    private final byte[] buffer = new byte[MAX_LINE + READ];
    private int filled;
    /** What was masked and not read yet: grows when a read of the source gives more (most give a few KiB). */
    private byte[] out = new byte[READ];
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
     * Reads from the source after the line carried over, masks the lines now complete and carries the rest over;
     * a line that reached the limit without ending is passed on in a piece.
     */
    private void fill() throws IOException {
        outStart = 0;
        outEnd = 0;
        int carried = filled;
        int n = source.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
            sourceEnded = true;
            if (filled > 0) {
                emitLine(0, filled, false);
                filled = 0;
            }
            return;
        }
        filled += n;
        int lastNewline = filled - 1;
        while (lastNewline >= carried && buffer[lastNewline] != '\n') {
            lastNewline--;
        }
        int consumed = 0;
        if (lastNewline >= carried) {
            emitLines(lastNewline + 1);
            consumed = lastNewline + 1;
        } else {
            while (filled - consumed >= MAX_LINE) {
                consumed += emitPiece(consumed);
            }
        }
        System.arraycopy(buffer, consumed, buffer, 0, filled - consumed);
        filled -= consumed;
    }

    /** Masks the complete lines of {@code buffer[0, end)} ({@code end} follows a newline). */
    private void emitLines(int end) {
        int at = 0;
        while (at < end) {
            if (redactor.wantsEveryLine()) {
                int newline = newlineFrom(at);
                emitLine(at, newline, true);
                at = newline + 1;
                continue;
            }
            int hint = redactor.firstHint(buffer, at, end);
            if (hint < 0) {
                copy(at, end - at);
                return;
            }
            int lineStart = hint;
            while (lineStart > at && buffer[lineStart - 1] != '\n') {
                lineStart--;
            }
            int newline = newlineFrom(hint);
            copy(at, lineStart - at);
            emitLine(lineStart, newline, true);
            at = newline + 1;
        }
    }

    /** The position of the first newline from {@code at} on (there is one: the stretch ends with a newline). */
    private int newlineFrom(int at) {
        int newline = at;
        while (buffer[newline] != '\n') {
            newline++;
        }
        return newline;
    }

    /** Masks and passes on the start of a line at the limit, up to a space near its end; returns its length. */
    private int emitPiece(int from) {
        int end = from + MAX_LINE;
        int cut = end;
        for (int i = end - 1; i >= end - CUT_WINDOW; i--) {
            if (buffer[i] == ' ' || buffer[i] == '\t') {
                cut = i + 1;
                break;
            }
        }
        emitLine(from, cut, false);
        return cut - from;
    }

    private void emitLine(int from, int to, boolean newline) {
        byte[] masked = redactor.redact(buffer, from, to - from);
        if (masked == null) {
            copy(from, to - from + (newline ? 1 : 0));
            return;
        }
        ensureOut(masked.length + 1);
        System.arraycopy(masked, 0, out, outEnd, masked.length);
        outEnd += masked.length;
        if (newline) {
            out[outEnd++] = '\n';
        }
    }

    private void copy(int from, int count) {
        ensureOut(count);
        System.arraycopy(buffer, from, out, outEnd, count);
        outEnd += count;
    }

    private void ensureOut(int more) {
        if (outEnd + more > out.length) {
            out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, outEnd + more));
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
