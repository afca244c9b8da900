package io.osiris.redaction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Masks secrets in one line at a time. A line is first scanned once for the detectors' hints (bytes, no decoding);
 * only the detectors hinted at, the patterns without hints and the literal values are tried, so an ordinary line
 * costs one pass. A private key block spanning lines is masked line by line between its BEGIN and END lines.
 * Counts what it masked by rule; never keeps a value.
 */
final class LineRedactor {

    static final String MASK = "[MASKED]";
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);
    /** A private key block that has not ended after this many lines is not one (the masking stops). */
    private static final int MAX_KEY_LINES = 500;
    private static final byte[] LOWER = new byte[256];
    /** The bytes of a name in an assignment rule: {@code [A-Za-z0-9_.-]}. */
    private static final boolean[] NAME = new boolean[256];

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + 32 : i);
            NAME[i] = (i >= 'a' && i <= 'z') || (i >= 'A' && i <= 'Z') || (i >= '0' && i <= '9') || i == '_'
                    || i == '.' || i == '-';
        }
    }

    private final List<Detector> detectors;
    /** Hints by their first byte (lower case): for each, the hint's bytes, its detector's bit and whether its case counts. */
    private final byte[][][] hints = new byte[256][][];
    private final long[][] hintBits = new long[256][];
    private final boolean[][] hintExact = new boolean[256][];
    private final List<Literal> literals;
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
    private final int privateKey;
    private final Map<String, Long> masked = new TreeMap<>();
    private int keyLines = -1;
    /** The bit of the url-credentials rule, whose match also needs an '@'. */
    private final long urlCredentials;
    /** The bits of the rules that match a name followed by ':' or '=' ({@link #assignmentAt}). */
    private final long assignments;
    /** The bit of the hints of literal values (they are not detectors: every literal is tried on a hinted line). */
    private static final long LITERAL = 1L << 63;
    private static final int HINT_LENGTH = 3;
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** A literal value to mask, named by the rule that reports it. */
    record Literal(String rule, String value) {
    }

    LineRedactor(List<Detector> detectors, List<Literal> literals) {
        if (detectors.size() > 63) {
            throw new IllegalArgumentException("at most 63 redaction rules, not " + detectors.size());
        }
        this.detectors = detectors;
        this.literals = literals;
        boolean unhinted = false;
        for (int d = 0; d < detectors.size(); d++) {
            unhinted |= detectors.get(d).hints().isEmpty();
            for (String hint : detectors.get(d).hints()) {
                addHint(hint.getBytes(StandardCharsets.US_ASCII), 1L << d, !hint.equals(hint.toLowerCase()));
            }
        }
        boolean shortLiteral = false;
        for (Literal literal : literals) {
            byte[] value = literal.value().getBytes(StandardCharsets.UTF_8);
            if (value.length < HINT_LENGTH) {
                shortLiteral = true;
            } else {
                addHint(java.util.Arrays.copyOf(value, HINT_LENGTH), LITERAL, true);
            }
        }
        this.everyLine = unhinted || shortLiteral;
        this.privateKey = indexOf("private-key");
        int url = indexOf("url-credentials");
        this.urlCredentials = url < 0 ? -1 : 1L << url;
        long assignment = 0;
        for (String rule : List.of("secret-assignment", "aws-secret-access-key")) {
            assignment |= indexOf(rule) < 0 ? 0 : 1L << indexOf(rule);
        }
        this.assignments = assignment;
    }

    private void addHint(byte[] hint, long bit, boolean exact) {
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

    /** The index of the detector of a rule (its bit in a hint mask), -1 without one. */
    private int indexOf(String rule) {
        for (int d = 0; d < detectors.size(); d++) {
            if (detectors.get(d).rule().equals(rule)) {
                return d;
            }
        }
        return -1;
    }

    private static boolean contains(byte[] buffer, int offset, int length, byte b) {
        for (int i = offset; i < offset + length; i++) {
            if (buffer[i] == b) {
                return true;
            }
        }
        return false;
    }

    /** What was masked so far, by rule. */
    Map<String, Long> masked() {
        return masked;
    }

    /**
     * The line {@code buffer[offset, offset + length)} (without its newline) with its secrets masked, or null when
     * nothing in it is masked (the common case: then the caller passes the bytes on as they are).
     */
    byte[] redact(byte[] buffer, int offset, int length) {
        if (keyLines >= 0) {
            return insidePrivateKey(buffer, offset, length);
        }
        long hinted = hinted(buffer, offset, length);
        if (hinted == urlCredentials && !contains(buffer, offset, length, (byte) '@')) {
            hinted = 0; // a URL without user info (Maven's download lines): nothing to look for
        }
        if (hinted == 0 && !everyLine) {
            return null;
        }
        String text = new String(buffer, offset, length, StandardCharsets.UTF_8);
        String result = text;
        for (int d = 0; d < detectors.size(); d++) {
            Detector detector = detectors.get(d);
            if (detector.hints().isEmpty() || (hinted & (1L << d)) != 0) {
                result = apply(detector, result);
            }
        }
        for (Literal literal : literals) {
            if (result.contains(literal.value())) {
                int count = occurrences(result, literal.value());
                result = result.replace(literal.value(), MASK);
                masked.merge(literal.rule(), (long) count, Long::sum);
            }
        }
        if (privateKey >= 0 && (hinted & (1L << privateKey)) != 0 && startsPrivateKey(result)) {
            keyLines = 0;
            masked.merge("private-key", 1L, Long::sum);
        }
        return result.equals(text) ? null : result.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] insidePrivateKey(byte[] buffer, int offset, int length) {
        String text = new String(buffer, offset, length, StandardCharsets.ISO_8859_1);
        if ((text.contains("-----END") && text.contains("PRIVATE KEY-----")) || ++keyLines > MAX_KEY_LINES) {
            keyLines = -1;
            return null;
        }
        boolean cr = length > 0 && buffer[offset + length - 1] == '\r';
        return cr ? (MASK + "\r").getBytes(StandardCharsets.US_ASCII) : MASK_BYTES.clone();
    }

    /** A line that opens a private key block which does not close on the same line. */
    private static boolean startsPrivateKey(String line) {
        int begin = line.indexOf("-----BEGIN ");
        return begin >= 0 && line.indexOf("PRIVATE KEY-----", begin) > 0 && !line.contains("-----END ");
    }

    private String apply(Detector detector, String text) {
        Matcher m = detector.pattern().matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder result = new StringBuilder(text.length());
        int from = 0;
        long count = 0;
        do {
            int group = group(detector, m);
            if (group < 0 || MASK.equals(m.group(group))) {
                continue; // masked already by an earlier rule
            }
            result.append(text, from, m.start(group)).append(MASK);
            from = m.end(group);
            count++;
        } while (m.find());
        if (count == 0) {
            return text;
        }
        masked.merge(detector.rule(), count, Long::sum);
        return result.append(text, from, text.length()).toString();
    }

    /** The group to mask: the detector's, or with -1 the first that took part in the match. */
    private static int group(Detector detector, Matcher m) {
        if (detector.group() >= 0) {
            int group = m.groupCount() >= detector.group() ? detector.group() : 0;
            return m.start(group) < 0 ? -1 : group;
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.start(g) >= 0) {
                return g;
            }
        }
        return -1;
    }

    /** Whether every line must be given to {@link #redact} (not only those {@link #firstHint} points at). */
    boolean wantsEveryLine() {
        return everyLine || keyLines >= 0;
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

    /** The bits of the hints that start at {@code at}, a url-credentials hint only with user info after it. */
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
     * A bit per detector whose hint the line contains (case-insensitive, ASCII, unless the hint's case counts), and
     * {@link #LITERAL} for a literal value's. Two bytes at a time are looked up in a table of the hints' first two
     * bytes, so a line without any costs two lookups per byte.
     */
    private long hinted(byte[] buffer, int offset, int length) {
        long found = 0;
        int end = offset + length;
        int previous = offset < end ? LOWER[buffer[offset] & 0xff] & 0xff : 0;
        for (int i = offset + 1; i < end; i++) {
            int current = LOWER[buffer[i] & 0xff] & 0xff;
            if (starts[(previous << 8) | current]) {
                byte[][] candidates = hints[previous];
                for (int h = 0; h < candidates.length; h++) {
                    if (matchesAt(buffer, end, i - 1, candidates[h], hintExact[previous][h])) {
                        found |= hintBits[previous][h];
                    }
                }
            }
            previous = current;
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

    private static int occurrences(String text, String value) {
        int count = 0;
        for (int i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + value.length())) {
            count++;
        }
        return count;
    }

    private static byte[][] append(byte[][] array, byte[] value) {
        byte[][] longer = array == null ? new byte[1][] : java.util.Arrays.copyOf(array, array.length + 1);
        longer[longer.length - 1] = value;
        return longer;
    }

    private static long[] append(long[] array, long value) {
        long[] longer = array == null ? new long[1] : java.util.Arrays.copyOf(array, array.length + 1);
        longer[longer.length - 1] = value;
        return longer;
    }

    private static boolean[] append(boolean[] array, boolean value) {
        boolean[] longer = array == null ? new boolean[1] : java.util.Arrays.copyOf(array, array.length + 1);
        longer[longer.length - 1] = value;
        return longer;
    }

    static List<Detector> withCustom(Map<String, String> patterns) {
        List<Detector> all = new ArrayList<>(BuiltInDetectors.ALL);
        patterns.forEach((rule, regex) -> all.add(Detector.of(rule, regex, 1)));
        return all;
    }
}
