package io.osiris.buildlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the lines of a log that contain a text (case-insensitive) or match a regular expression, reading the log
 * once as a stream. Keeps the first {@code limit} matches (line number and text, cut at {@value #MAX_TEXT}
 * characters), counts all of them, and stops at a time budget (then the result says it is partial).
 */
public final class LineSearch {

    /** Longer lines are searched in their first this many bytes. */
    static final int MAX_LINE = 64 * 1024;
    static final int MAX_TEXT = 500;

    private final Predicate<String> matches;
    /** A literal ASCII text, lower case: matched on the bytes, without decoding the line. */
    private final byte[] needle;
    private final int limit;
    private final Duration budget;

    private LineSearch(Predicate<String> matches, byte[] needle, int limit, Duration budget) {
        this.matches = matches;
        this.needle = needle;
        this.limit = limit;
        this.budget = budget;
    }

    /** A literal text, case-insensitive, or with {@code regex} a Java regular expression (400 when invalid). */
    public static LineSearch of(String query, boolean regex, int limit, Duration budget) {
        if (regex) {
            try {
                Pattern pattern = Pattern.compile(query);
                return new LineSearch(line -> pattern.matcher(line).find(), null, limit, budget);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("q is not a valid regular expression: " + e.getDescription());
            }
        }
        String needle = query.toLowerCase(Locale.ROOT);
        boolean ascii = !needle.isEmpty() && needle.chars().allMatch(c -> c < 128);
        return new LineSearch(line -> line.toLowerCase(Locale.ROOT).contains(needle),
                ascii ? needle.getBytes(StandardCharsets.US_ASCII) : null, limit, budget);
    }

    /** Scans the whole log within this search's own time budget. */
    public Result scan(InputStream log) {
        return scan(log, System.nanoTime() + budget.toNanos());
    }

    /** Scans the log until {@code deadline} ({@link System#nanoTime()}), for a search over many logs. */
    public Result scan(InputStream log, long deadline) {
        List<Match> found = new ArrayList<>();
        long count = 0;
        long number = 0;
        byte[] line = new byte[MAX_LINE];
        byte[] buffer = new byte[64 * 1024];
        int length = 0;
        try (InputStream in = log) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b != '\n') {
                        if (length < MAX_LINE) {
                            line[length++] = b;
                        }
                        continue;
                    }
                    number++;
                    count += keepIfMatching(number, line, length, found);
                    length = 0;
                }
                if (System.nanoTime() > deadline) {
                    return new Result(found, count, number, count > found.size(), true);
                }
            }
            if (length > 0) { // the last line, without newline
                number++;
                count += keepIfMatching(number, line, length, found);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(found, count, number, count > found.size(), false);
    }

    /** 1 when line {@code number} matches (kept while fewer than {@code limit} are), else 0; decoded once. */
    private int keepIfMatching(long number, byte[] line, int length, List<Match> found) {
        String text = null;
        if (needle != null) {
            if (!containsIgnoringCase(line, length)) {
                return 0;
            }
        } else {
            text = decode(line, length);
            if (!matches.test(text)) {
                return 0;
            }
        }
        if (found.size() < limit) {
            text = text != null ? text : decode(line, length);
            found.add(new Match(number, text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text));
        }
        return 1;
    }

    /** The ASCII needle in the line's bytes, ignoring ASCII case (a multi-byte character never equals it). */
    private boolean containsIgnoringCase(byte[] line, int length) {
        byte first = needle[0];
        int last = length - needle.length;
        for (int i = 0; i <= last; i++) {
            if (lower(line[i]) != first) {
                continue;
            }
            int k = 1;
            while (k < needle.length && lower(line[i + k]) == needle[k]) {
                k++;
            }
            if (k == needle.length) {
                return true;
            }
        }
        return false;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private static String decode(byte[] line, int length) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }

    /** A matching line: its number (1-based) and text. */
    public record Match(long line, String text) {
    }

    /**
     * @param matches   the first matches, in log order
     * @param count     all matches in the lines searched
     * @param lines     lines searched
     * @param truncated more matches than listed
     * @param partial   the time budget ran out before the end of the log
     */
    public record Result(List<Match> matches, long count, long lines, boolean truncated, boolean partial) {
    }
}
