package io.osiris.redaction;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A rule that finds one kind of secret in a line. {@code hints} are texts of three bytes or more one of which
 * a line must contain before the pattern is tried (none: always tried): in lower case they match in any case, with
 * an upper-case letter exactly as written; {@code group} is the part masked (0: the whole match).
 */
record Detector(String rule, List<String> hints, Pattern pattern, int group) {

    static Detector of(String rule, String regex, int group, String... hints) {
        return new Detector(rule, List.of(hints), Pattern.compile(regex), group);
    }
}
