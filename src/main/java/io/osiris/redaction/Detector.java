package io.osiris.redaction;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A rule that finds one kind of secret in a line. {@code hints} are lower-case texts one of which a line must
 * contain before the pattern is tried (none: always tried); {@code group} is the part masked (0: the whole match).
 */
record Detector(String rule, List<String> hints, Pattern pattern, int group) {

    static Detector of(String rule, String regex, int group, String... hints) {
        return new Detector(rule, List.of(hints), Pattern.compile(regex), group);
    }
}
