package io.osiris.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every built-in detector: what it masks, what it leaves, and secrets split between reads of the source. */
class RedactedLogTest {

    private static final String AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            aws-access-key-id     | key id AKIAIOSFODNN7EXAMPLE in use                      | key id [MASKED] in use
            aws-secret-access-key | AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | AWS_SECRET_ACCESS_KEY=[MASKED]
            aws-secret-access-key | aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" | aws_secret_access_key = "[MASKED]"
            github-token          | git clone https://x:ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8@github.com/o/r | git clone https://x:[MASKED]@github.com/o/r
            github-token          | GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv    | GH=[MASKED]
            gitlab-token          | using glpat-xYz123AbC456dEf789gHiJ now                    | using [MASKED] now
            jwt                   | id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fw end | id [MASKED] end
            bearer-token          | curl -H 'Authorization: Bearer abcdef0123456789abcdef' x | curl -H 'Authorization: Bearer [MASKED]' x
            url-credentials       | pushing to https://deployer:s3cr3t-pw@registry.example.com/app | pushing to https://deployer:[MASKED]@registry.example.com/app
            private-key           | key: -----BEGIN PRIVATE KEY-----MIIEvQIBADANBg-----END PRIVATE KEY----- | key: -----BEGIN PRIVATE KEY-----[MASKED]-----END PRIVATE KEY-----
            user-password-option  | curl -fsS -u admin:Sup3rSecret https://x/api             | curl -fsS -u admin:[MASKED] https://x/api
            user-password-option  | wget --user=ci:t0ps3cret http://mirror/f                 | wget --user=ci:[MASKED] http://mirror/f
            secret-assignment     | mvn deploy -Dpassword=hunter22 -Dx=1                      | mvn deploy -Dpassword=[MASKED] -Dx=1
            secret-assignment     | DB_PASSWORD: 'correct horse'                              | DB_PASSWORD: '[MASKED]'
            secret-assignment     | {"client_secret": "abc123xyz", "n": 1}                  | {"client_secret": "[MASKED]", "n": 1}
            secret-assignment     | export NPM_TOKEN=npm_abcdefgh12345678                     | export NPM_TOKEN=[MASKED]
            """)
    void eachDetectorMasksItsSecretOnly(String rule, String line, String expected) throws IOException {
        Redacted result = redact(line + "\n");
        assertThat(result.text()).isEqualTo(expected + "\n");
        assertThat(result.masked()).containsEntry(rule, 1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AKIA1234 is too short to be a key id",
        "NOTAKIAIOSFODNN7EXAMPLE is inside a word",
        "ghp_tooShort and gho_ and github_pat_ alone",
        "glpat- without a token",
        "eyJhbGciOi alone is not a token",
        "the bearer of bad news",
        "Bearer short",
        "https://registry.example.com/app:latest@sha256:0123",
        "https://user@example.com/no-password",
        "-----BEGIN PUBLIC KEY-----",
        "password: ${DB_PASSWORD}",
        "password=",
        "token: <none>",
        "Password changed successfully",
        "secret: true",
        "the secret ingredient is love",
        "keyboard layout: us",
        "Downloaded org.apache:commons-lang3:3.14.0 from central",
        "[INFO] BUILD SUCCESS",
        "tar -u file.tar and cp -u a b",
        "ls --user-dirs",
    })
    void nearMissesAreLeftAlone(String line) throws IOException {
        Redacted result = redact(line + "\n");
        assertThat(result.text()).isEqualTo(line + "\n");
        assertThat(result.masked()).isEmpty();
    }

    @Test
    void aPrivateKeyBlockIsMaskedLineByLineAndTheLinesStay() throws IOException {
        String log = "before\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1\r\nqwertyuiop\n"
                + "-----END RSA PRIVATE KEY-----\nafter -----BEGIN PUBLIC KEY-----\n";
        Redacted result = redact(log);
        assertThat(result.text()).isEqualTo("before\n-----BEGIN RSA PRIVATE KEY-----\n[MASKED]\r\n[MASKED]\n"
                + "-----END RSA PRIVATE KEY-----\nafter -----BEGIN PUBLIC KEY-----\n");
        assertThat(result.masked()).isEqualTo(Map.of("private-key", 1L));
    }

    @Test
    void theFourSecretsOfALogAreMaskedAndNothingElseChanges() throws IOException {
        String log = "Step 1/3 : FROM registry/base\n"
                + "env: AWS_SECRET_ACCESS_KEY=" + AWS_SECRET + "\n"
                + "cloning with " + GITHUB + "\n"
                + "auth header eyJ" + JWT.substring(3) + " sent\n"
                + "mvn -Dpassword=hunter22 deploy\n"
                + "\n"
                + "done, no newline at the end";
        Redacted result = redact(log);
        assertThat(result.text()).isEqualTo("Step 1/3 : FROM registry/base\n"
                + "env: AWS_SECRET_ACCESS_KEY=[MASKED]\n"
                + "cloning with [MASKED]\n"
                + "auth header [MASKED] sent\n"
                + "mvn -Dpassword=[MASKED] deploy\n"
                + "\n"
                + "done, no newline at the end");
        assertThat(result.masked()).isEqualTo(Map.of("aws-secret-access-key", 1L, "github-token", 1L, "jwt", 1L,
                "secret-assignment", 1L));
    }

    @Test
    void aSecretSplitBetweenTwoReadsOfTheSourceIsFound() throws IOException {
        String log = "x".repeat(100) + " key " + AWS_KEY_ID + " and " + GITHUB + "\nnext " + JWT + "\n";
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        String expected = "x".repeat(100) + " key [MASKED] and [MASKED]\nnext [MASKED]\n";
        for (int cut = 1; cut < bytes.length; cut += 3) {
            Redacted result = redact(twoReads(bytes, cut), List.of());
            assertThat(result.text()).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void aVeryLongLineIsMaskedInPiecesCutBetweenWords() throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < 3 * RedactedLog.MAX_LINE) {
            line.append("word ").append(AWS_KEY_ID).append(' ');
        }
        Redacted result = redact(line + "\n");
        assertThat(result.text()).doesNotContain(AWS_KEY_ID).endsWith("\n");
        assertThat(result.text().replace("[MASKED]", AWS_KEY_ID)).isEqualTo(line + "\n");
        assertThat(result.text().chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void literalValuesAreMaskedUnderTheirRule() throws IOException {
        List<LineRedactor.Literal> literals = LogRedaction.literals("secret/db", "s3cr3t-Value\nab\n", 6);
        Redacted result = redact(new ByteArrayInputStream("pw s3cr3t-Value, s3cr3t-Value; ab\n".getBytes()),
                literals);
        assertThat(result.text()).isEqualTo("pw [MASKED], [MASKED]; ab\n");
        assertThat(result.masked()).isEqualTo(Map.of("secret/db", 2L));
    }

    @Test
    void aCustomPatternMasksItsGroup() throws IOException {
        LineRedactor redactor = new LineRedactor(LineRedactor.withCustom(Map.of("ticket", "TICKET-(\\d{6})")),
                List.of());
        RedactedLog log = new RedactedLog(new ByteArrayInputStream("see TICKET-123456\n".getBytes()), redactor);
        assertThat(new String(log.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("see TICKET-[MASKED]\n");
        assertThat(log.masked()).isEqualTo(Map.of("ticket", 1L));
    }

    /**
     * The stream passes stretches without hints on unread; this checks it against masking every line on its own:
     * random logs of secrets, near misses, URLs with and without user info, key blocks, a literal value and plain
     * lines, read in random pieces, come out the same.
     */
    @Test
    void skippingLinesWithoutHintsMasksExactlyWhatMaskingEveryLineDoes() throws IOException {
        String[] lines = {
            "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/x.pom",
            "pushing to https://deployer:s3cr3t-pw@registry.example.com/app", "https://user@example.com/no-password",
            "key id " + AWS_KEY_ID + " in use", "NOTAKIAIOSFODNN7EXAMPLE", "cloning with " + GITHUB, "auth " + JWT,
            "mvn -Dpassword=hunter22 deploy", "Password changed successfully", "the bearer of bad news",
            "curl -H 'Authorization: Bearer abcdef0123456789abcdef' x", "curl -u admin:Sup3rSecret https://x/api",
            "-----BEGIN RSA PRIVATE KEY-----", "MIIEpAIBAAKCAQEA1", "-----END RSA PRIVATE KEY-----",
            "[INFO] Tests run: 7, Failures: 0, Errors: 0, Skipped: 0", "monkey keyboard passes tokens",
            "db value s3cr3t-Value here", "", "x", "\r", "Schl\u00fcssel=geheim123 \u00e9t\u00e9",
            "{\"client_secret\": \"abc123xyz\", \"n\": 1}", "DB_PASSWORD: 'correct horse'", "api.key = k3y-value",
            "env: AWS_SECRET_ACCESS_KEY=" + AWS_SECRET, "export NPM_TOKEN=npm_abcdefgh12345678", "Tests passed: 12",
            "key store loaded, 3 keys", "token\t=\tvalue123", "password", "x-api-key: 0123456789abcdef"};
        List<LineRedactor.Literal> literals = List.of(new LineRedactor.Literal("secret/db", "s3cr3t-Value"));
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 300; round++) {
            StringBuilder log = new StringBuilder();
            int count = 1 + random.nextInt(60);
            for (int i = 0; i < count; i++) {
                log.append(lines[random.nextInt(lines.length)]);
                if (i < count - 1 || random.nextBoolean()) {
                    log.append('\n');
                }
            }
            byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
            LineRedactor everyLine = new LineRedactor(BuiltInDetectors.ALL, literals);
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '\n') {
                    if (i > start || i < bytes.length) {
                        byte[] masked = everyLine.redact(bytes, start, i - start);
                        expected.write(masked == null ? java.util.Arrays.copyOfRange(bytes, start, i) : masked);
                    }
                    if (i < bytes.length) {
                        expected.write('\n');
                    }
                    start = i + 1;
                }
            }
            RedactedLog stream = new RedactedLog(randomReads(bytes, random.nextLong()),
                    new LineRedactor(BuiltInDetectors.ALL, literals));
            assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8)).as("round %d", round)
                    .isEqualTo(expected.toString(StandardCharsets.UTF_8));
            assertThat(stream.masked()).as("round %d", round).isEqualTo(everyLine.masked());
        }
    }

    private record Redacted(String text, Map<String, Long> masked) {
    }

    private static Redacted redact(String log) throws IOException {
        return redact(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), List.of());
    }

    private static Redacted redact(InputStream in, List<LineRedactor.Literal> literals) throws IOException {
        RedactedLog log = new RedactedLog(in, new LineRedactor(BuiltInDetectors.ALL, literals));
        return new Redacted(new String(log.readAllBytes(), StandardCharsets.UTF_8), log.masked());
    }

    /** The bytes in reads of 1 to 40 bytes, as a slow network stream may deliver them. */
    private static InputStream randomReads(byte[] bytes, long seed) {
        java.util.Random random = new java.util.Random(seed);
        return new Reads(bytes, position -> 1 + random.nextInt(40));
    }

    /** The bytes in two reads, cut at {@code cut}, as a network stream may deliver them. */
    private static InputStream twoReads(byte[] bytes, int cut) {
        return new Reads(bytes, position -> position < cut ? cut - position : bytes.length);
    }

    /** The bytes in reads of at most {@code most.applyAsInt(position)} bytes each. */
    private static final class Reads extends InputStream {
        private final byte[] bytes;
        private final java.util.function.IntUnaryOperator most;
        private int position;

        Reads(byte[] bytes, java.util.function.IntUnaryOperator most) {
            this.bytes = bytes;
            this.most = most;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, most.applyAsInt(position)), bytes.length - position);
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }
}
