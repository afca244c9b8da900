package io.osiris.buildlog;

/**
 * Where a reader of a log starts: at a byte offset of the uncompressed log, at a line (1-based), or at the last
 * {@code lastLines} lines. Exactly one of them is set; {@link #BEGINNING} is offset 0.
 */
public record LogStart(long offset, long line, long lastLines) {

    public static final LogStart BEGINNING = new LogStart(0, 0, 0);

    public static LogStart atOffset(long offset) {
        return new LogStart(offset, 0, 0);
    }

    public static LogStart atLine(long line) {
        return line <= 1 ? BEGINNING : new LogStart(0, line, 0);
    }

    public static LogStart lastLines(long lines) {
        return new LogStart(0, 0, lines);
    }

    /** Newlines to pass before the start, for a log with {@code newlines} newlines so far; -1 for an offset. */
    long newlinesToSkip(long newlines) {
        if (line > 0) {
            return line - 1;
        }
        if (lastLines > 0) {
            return Math.max(0, newlines - lastLines);
        }
        return -1;
    }
}
