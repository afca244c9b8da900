package io.osiris.redaction;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The texts that must be in a line before the rules are tried on it (the detectors' hints, and the first bytes of
 * literal values), as tables over bytes: where the next line worth masking is in a stretch of a log
 * ({@link #firstHint}), and which rules a line hints at ({@link #hinted}). Immutable: made once for a set of rules
 * and literal values, shared by the logs masked with them.
 */
final class Hints {

    /** The bit of the hints of literal values (they are not detectors: every literal is tried on a hinted line). */
    static final long LITERAL = 1L << 63;
    private static final int HINT_LENGTH = 3;
    private static final byte[] LOWER = new byte[256];
    /** The bytes of a name in an assignment rule: {@code [A-Za-z0-9_.-]}. */
    private static final boolean[] NAME = new boolean[256];
    private static final VarHandle BIG_ENDIAN_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + 32 : i);
            NAME[i] = (i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') || (i >= '0' && i <= '9') || i == '_'
                    || i == '.' || i == '-';
        }
    }

    /** Hints by their first byte (lower case): each hint's bytes, its detector's bit, whether its case counts. */
    private final byte[][][] hints = new byte[256][][];
    private final long[][] hintBits = new long[256][];
    private final boolean[][] hintExact = new boolean[256][];
    /** The first two bytes of every hint, in lower case (hints have three bytes or more). */
    private final boolean[] starts = new boolean[256 * 256];
    /**
     * The byte pairs at offsets 0-1 and 1-2 of every hint, indexed by the bytes as they are (both cases where the
     * hint's case does not count): every hint in a text covers one such pair at an even offset, so a text is scanned
     * a pair at a time, two bytes apart ({@link #firstHint}).
     */
    private final boolean[] pairs = new boolean[256 * 256];
    /** Patterns without hints or literal values too short to hint at: every line is tried. */
    private final boolean everyLine;
    /** The bit of the url-credentials rule, whose match also needs an '@'. */
    private final long urlCredentials;
    /** The bits of the rules that match a name followed by ':' or '=' ({@link #assignmentAt}). */
    private final long assignments;

    Hints(List<Detector> detectors, List<LineRedactor.Literal> literals) {
        if (detectors.size() > 63) {
            throw new IllegalArgumentException("at most 63 redaction rules, not " + detectors.size());
        }
        boolean unhinted = false;
        long url = 0;
        long assignment = 0;
        for (int d = 0; d < detectors.size(); d++) {
            Detector detector = detectors.get(d);
            unhinted |= detector.hints().isEmpty();
            for (String hint : detector.hints()) {
                add(hint.getBytes(StandardCharsets.US_ASCII), 1L << d, !hint.equals(hint.toLowerCase()));
            }
            url |= detector.rule().equals("url-credentials") ? 1L << d : 0;
            assignment |= List.of("secret-assignment", "aws-secret-access-key").contains(detector.rule()) ? 1L << d : 0;
        }
        boolean shortLiteral = false;
        for (LineRedactor.Literal literal : literals) {
            byte[] value = literal.value().getBytes(StandardCharsets.UTF_8);
            if (value.length < HINT_LENGTH) {
                shortLiteral = true;
            } else {
                add(Arrays.copyOf(value, HINT_LENGTH), LITERAL, true);
            }
        }
        this.everyLine = unhinted || shortLiteral;
        this.urlCredentials = url == 0 ? -1 : url;
        this.assignments = assignment;
    }

    /** Whether every line must be tried (patterns without hints, literal values shorter than a hint). */
    boolean everyLine() {
        return everyLine;
    }

    private void add(byte[] hint, long bit, boolean exact) {
        if (hint.length < HINT_LENGTH) {
            throw new IllegalArgumentException("a hint has " + HINT_LENGTH + " bytes or more: " + new String(hint));
        }
        byte[] stored = exact ? hint : lower(hint);
        int first = LOWER[hint[0] & 0xff] & 0xff;
        hints[first] = append(hints[first], stored);
        hintBits[first] = append(hintBits[first], bit);
        hintExact[first] = append(hintExact[first], exact);
        starts[(first << 8) | (LOWER[hint[1] & 0xff] & 0xff)] = true;
        for (int k = 0; k < 2; k++) {
            for (int a : variants(stored[k], exact)) {
                for (int b : variants(stored[k + 1], exact)) {
                    pairs[(a << 8) | b] = true;
                }
            }
        }
    }

    /** A byte as it may appear in a text: itself, and its upper case when case does not count. */
    private static int[] variants(byte b, boolean exact) {
        int lower = b & 0xff;
        return !exact && lower >= 'a' && lower <= 'z' ? new int[] {lower, lower - 32} : new int[] {lower};
    }

    private static byte[] lower(byte[] bytes) {
        byte[] lower = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            lower[i] = LOWER[bytes[i] & 0xff];
        }
        return lower;
    }

    /**
     * Where the first hint in {@code buffer[from, to)} starts, or -1 without one; hints of url-credentials count
     * only when an '@' follows within the URL's authority. Looks at byte pairs two bytes apart ({@link #pairs}), so
     * a text without hints costs one table lookup per two bytes.
     */
    int firstHint(byte[] buffer, int from, int to) {
        int q = from;
        for (; q + Long.BYTES <= to; q += Long.BYTES) {
            long word = (long) BIG_ENDIAN_LONGS.get(buffer, q); // four pairs in one read
            if (pairs[(int) (word >>> 48)] | pairs[(int) (word >>> 32) & 0xffff]
                    | pairs[(int) (word >>> 16) & 0xffff] | pairs[(int) word & 0xffff]) {
                int found = firstHintOfPairs(buffer, from, q, q + Long.BYTES, to);
                if (found >= 0) {
                    return found;
                }
            }
        }
        return firstHintOfPairs(buffer, from, q, to, to);
    }

    /** {@link #firstHint} looking at the pairs that start at even offsets from {@code q} before {@code until}. */
    private int firstHintOfPairs(byte[] buffer, int from, int q, int until, int to) {
        for (; q < until && q < to - 1; q += 2) {
            if (pairs[((buffer[q] & 0xff) << 8) | (buffer[q + 1] & 0xff)]) {
                if (q > from && hintAt(buffer, q - 1, to) != 0) {
                    return q - 1;
                }
                if (hintAt(buffer, q, to) != 0) {
                    return q;
                }
            }
        }
        return -1;
    }

    /**
     * The bits of the hints that start at {@code at}: a url-credentials hint only with user info after it, one of
     * the assignment rules only with ':' or '=' after the name.
     */
    private long hintAt(byte[] buffer, int at, int end) {
        int first = LOWER[buffer[at] & 0xff] & 0xff;
        if (at + 1 >= end || !starts[(first << 8) | (LOWER[buffer[at + 1] & 0xff] & 0xff)]) {
            return 0;
        }
        byte[][] candidates = hints[first];
        long found = 0;
        for (int h = 0; h < candidates.length; h++) {
            byte[] hint = candidates[h];
            long bit = hintBits[first][h];
            if (matchesAt(buffer, end, at, hint, hintExact[first][h])
                    && (bit != urlCredentials || userInfoAt(buffer, at + hint.length, end))
                    && ((bit & assignments) == 0 || assignmentAt(buffer, at + hint.length, end))) {
                found |= bit;
            }
        }
        return found;
    }

    /**
     * Whether a name's rest, an optional quote, blanks and then ':' or '=' follow: what the assignment rules need
     * after the hint in a name ({@code password=}, {@code "client_secret": }); words such as "passed" or "keys"
     * in ordinary text are not looked at further.
     */
    private static boolean assignmentAt(byte[] buffer, int from, int end) {
        int i = from;
        while (i < end && NAME[buffer[i] & 0xff]) {
            i++;
        }
        if (i < end && (buffer[i] == '"' || buffer[i] == '\'')) {
            i++;
        }
        while (i < end && (buffer[i] == ' ' || buffer[i] == '\t' || buffer[i] == '\r' || buffer[i] == '\f'
                || buffer[i] == 0x0b)) {
            i++;
        }
        return i < end && (buffer[i] == ':' || buffer[i] == '=');
    }

    /** Whether an '@' comes before the end of a URL's authority (a '/', a space or the end of the line). */
    private static boolean userInfoAt(byte[] buffer, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = buffer[i];
            if (b == '@') {
                return true;
            }
            if (b == '/' || b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                return false;
            }
        }
        return false;
    }

    /**
     * A bit per detector whose hint the line contains ({@link #hintAt}: case-insensitive, ASCII, unless the hint's
     * case counts; a URL's only with user info, an assignment rule's only before ':' or '='), and {@link #LITERAL}
     * for a literal value's.
     */
    long hinted(byte[] buffer, int offset, int length) {
        long found = 0;
        int end = offset + length;
        for (int i = offset; i < end - 1; i++) {
            found |= hintAt(buffer, i, end);
        }
        return found;
    }

    private static boolean matchesAt(byte[] buffer, int end, int at, byte[] hint, boolean exact) {
        if (at + hint.length > end) {
            return false;
        }
        for (int k = 0; k < hint.length; k++) {
            byte b = exact ? buffer[at + k] : LOWER[buffer[at + k] & 0xff];
            if (b != hint[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[][] append(byte[][] array, byte[] value) {
        byte[][] longer = array == null ? new byte[1][] : Arrays.copyOf(array, array.length + 1);
        longer[longer.length - 1] = value;
        return longer;
    }

    private static long[] append(long[] array, long value) {
        long[] longer = array == null ? new long[1] : Arrays.copyOf(array, array.length + 1);
        longer[longer.length - 1] = value;
        return longer;
    }

    private static boolean[] append(boolean[] array, boolean value) {
        boolean[] longer = array == null ? new boolean[1] : Arrays.copyOf(array, array.length + 1);
        longer[longer.length - 1] = value;
        return longer;
    }
}
