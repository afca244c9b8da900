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

    static {
        for (int i = 0; i < 256; i++) {
            LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + 32 : i);
        }
    }

    private final List<Detector> detectors;
    /** Hints by their first byte: for each, the hint's bytes and the index of its detector. */
    private final byte[][][] hints = new byte[256][][];
    private final int[][] hintDetector = new int[256][];
    private final List<Literal> literals;
    private final Map<String, Long> masked = new TreeMap<>();
    private int keyLines = -1;

    /** A literal value to mask, named by the rule that reports it. */
    record Literal(String rule, String value) {
    }

    LineRedactor(List<Detector> detectors, List<Literal> literals) {
        this.detectors = detectors;
        this.literals = literals;
        for (int d = 0; d < detectors.size(); d++) {
            for (String hint : detectors.get(d).hints()) {
                byte[] bytes = hint.getBytes(StandardCharsets.US_ASCII);
                int first = bytes[0] & 0xff;
                hints[first] = append(hints[first], bytes);
                hintDetector[first] = append(hintDetector[first], d);
            }
        }
    }

    /** What was masked so far, by rule. */
    Map<String, Long> masked() {
        return masked;
    }

    /**
     * The line {@code line[0..length)} (without its newline) with its secrets masked: the same array when nothing
     * was masked, else a new one whose length is in {@code out[0]}.
     */
    byte[] redact(byte[] line, int length, int[] out) {
        out[0] = length;
        if (keyLines >= 0) {
            return insidePrivateKey(line, length, out);
        }
        long hinted = hinted(line, length);
        if (hinted == 0 && literals.isEmpty() && !anyUnhinted()) {
            return line;
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
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
        if ((hinted & (1L << privateKeyIndex())) != 0 && startsPrivateKey(result)) {
            keyLines = 0;
            masked.merge("private-key", 1L, Long::sum);
        }
        if (result.equals(text)) {
            return line;
        }
        byte[] bytes = result.getBytes(StandardCharsets.UTF_8);
        out[0] = bytes.length;
        return bytes;
    }

    private byte[] insidePrivateKey(byte[] line, int length, int[] out) {
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1);
        if ((text.contains("-----END") && text.contains("PRIVATE KEY-----")) || ++keyLines > MAX_KEY_LINES) {
            keyLines = -1;
            return line;
        }
        boolean cr = length > 0 && line[length - 1] == '\r';
        byte[] masked = new byte[MASK_BYTES.length + (cr ? 1 : 0)];
        System.arraycopy(MASK_BYTES, 0, masked, 0, MASK_BYTES.length);
        if (cr) {
            masked[MASK_BYTES.length] = '\r';
        }
        out[0] = masked.length;
        return masked;
    }

    /** A line that opens a private key block which does not close on the same line. */
    private static boolean startsPrivateKey(String line) {
        int begin = line.indexOf("-----BEGIN ");
        return begin >= 0 && line.indexOf("PRIVATE KEY-----", begin) > 0 && !line.contains("-----END ");
    }

    private int privateKeyIndex() {
        for (int d = 0; d < detectors.size(); d++) {
            if (detectors.get(d).rule().equals("private-key")) {
                return d;
            }
        }
        return 63;
    }

    private boolean anyUnhinted() {
        for (Detector detector : detectors) {
            if (detector.hints().isEmpty()) {
                return true;
            }
        }
        return false;
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

    /** A bit per detector whose hint the line contains (case-insensitive, ASCII). */
    private long hinted(byte[] line, int length) {
        long found = 0;
        for (int i = 0; i < length; i++) {
            int first = LOWER[line[i] & 0xff] & 0xff;
            byte[][] candidates = hints[first];
            if (candidates == null) {
                continue;
            }
            for (int h = 0; h < candidates.length; h++) {
                if (matchesAt(line, length, i, candidates[h])) {
                    found |= 1L << hintDetector[first][h];
                }
            }
        }
        return found;
    }

    private static boolean matchesAt(byte[] line, int length, int at, byte[] hint) {
        if (at + hint.length > length) {
            return false;
        }
        for (int k = 1; k < hint.length; k++) {
            if (LOWER[line[at + k] & 0xff] != hint[k]) {
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

    private static int[] append(int[] array, int value) {
        int[] longer = array == null ? new int[1] : java.util.Arrays.copyOf(array, array.length + 1);
        longer[longer.length - 1] = value;
        return longer;
    }

    static List<Detector> withCustom(Map<String, String> patterns) {
        List<Detector> all = new ArrayList<>(BuiltInDetectors.ALL);
        patterns.forEach((rule, regex) -> all.add(Detector.of(rule, regex, 1)));
        return all;
    }
}
