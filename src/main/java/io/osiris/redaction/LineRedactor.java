package io.osiris.redaction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/**
 * Masks secrets in one line at a time. A line is first scanned once for the detectors' hints ({@link Hints}: bytes,
 * no decoding); only the detectors hinted at, the patterns without hints and the literal values are tried. A private
 * key block spanning lines is masked line by line between its BEGIN and END lines. Counts what it masked by rule;
 * never keeps a value.
 */
final class LineRedactor {

    static final String MASK = "[MASKED]";
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);
    /** A private key block that has not ended after this many lines is not one (the masking stops). */
    private static final int MAX_KEY_LINES = 500;

    private final List<Detector> detectors;
    private final List<Literal> literals;
    private final Hints hints;
    private final int privateKey;
    private final Map<String, Long> masked = new TreeMap<>();
    private int keyLines = -1;

    /** A literal value to mask, named by the rule that reports it. */
    record Literal(String rule, String value) {
    }

    LineRedactor(List<Detector> detectors, List<Literal> literals) {
        this(detectors, literals, new Hints(detectors, literals));
    }

    /** With the hints of these detectors and literals made before (they are the same for many logs). */
    LineRedactor(List<Detector> detectors, List<Literal> literals, Hints hints) {
        this.detectors = detectors;
        this.literals = literals;
        this.hints = hints;
        this.privateKey = indexOf("private-key");
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
        long hinted = hints.hinted(buffer, offset, length);
        if (hinted == 0 && !hints.everyLine()) {
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
        return hints.everyLine() || keyLines >= 0;
    }

    /** Where the first line worth masking in {@code buffer[from, to)} has a hint, -1 without one. */
    int firstHint(byte[] buffer, int from, int to) {
        return hints.firstHint(buffer, from, to);
    }

    private static int occurrences(String text, String value) {
        int count = 0;
        for (int i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + value.length())) {
            count++;
        }
        return count;
    }

    static List<Detector> withCustom(Map<String, String> patterns) {
        List<Detector> all = new ArrayList<>(BuiltInDetectors.ALL);
        patterns.forEach((rule, regex) -> all.add(Detector.of(rule, regex, 1)));
        return all;
    }
}
