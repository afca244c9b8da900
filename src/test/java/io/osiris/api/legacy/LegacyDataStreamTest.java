package io.osiris.api.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LegacyDataStreamTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void decodesWhatJacksonDecodesForEveryEscapeAndCharacter() throws IOException {
        String log = "plain\nline\twith \"quotes\" \\ / \b\f\r and \u001b[31mcolour\u001b[0m, é, 中文, 😀 \u0000 end";
        String body = json.writeValueAsString(Map.of("metadata", Map.of("a", "b"), "data", log));

        assertThat(read(body, 1_000, 7)).isEqualTo(log);
        assertThat(read(body.replace("\\u001b", "\\u001B").replace("/", "\\/"), 1_000, 4096)).isEqualTo(log);
    }

    @Test
    void dataMayComeBeforeOrAfterTheOtherMembers() throws IOException {
        assertThat(read("{\"data\":\"x\\ny\",\"metadata\":{\"k\":[1,2,{\"z\":\"}\"}]}}", 100, 3)).isEqualTo("x\ny");
        assertThat(read(" { \"metadata\" : null , \"data\" : \"x\" } \n", 100, 1)).isEqualTo("x");
        assertThat(read("{\"data\":\"\"}", 100, 10)).isEmpty();
    }

    @Test
    void refusesWhatIsNotTheProtocol() {
        assertRefused("[]", ErrorKind.BAD_REQUEST, "JSON object");
        assertRefused("{}", ErrorKind.BAD_REQUEST, "'data' is required");
        assertRefused("{\"metadata\":{}}", ErrorKind.BAD_REQUEST, "'data' is required");
        assertRefused("{\"data\":5}", ErrorKind.BAD_REQUEST, "data must be a string");
        assertRefused("{\"data\":\"a\",\"data\":\"b\"}", ErrorKind.BAD_REQUEST, "appears twice");
        assertRefused("{\"data\":\"a\"} trailing", ErrorKind.BAD_REQUEST, "goes on after");
        assertRefused("{\"data\":\"a\"", ErrorKind.BAD_REQUEST, "malformed JSON");
        assertRefused("{\"data\":\"unterminated", ErrorKind.BAD_REQUEST, "ends inside 'data'");
        assertRefused("{\"data\":\"bad \\x escape\"}", ErrorKind.BAD_REQUEST, "invalid escape");
        assertRefused("{\"data\":\"lone \\ud800 surrogate\"}", ErrorKind.BAD_REQUEST, "surrogate");
        assertRefused("{\"data\":\"raw \n newline\"}", ErrorKind.BAD_REQUEST, "control character");
        assertRefused("{\"metadata\":{\"a\":},\"data\":\"x\"}", ErrorKind.BAD_REQUEST, "not valid JSON");
        assertRefused("{\"metadata\":tru,\"data\":\"x\"}", ErrorKind.BAD_REQUEST, "not valid JSON");
    }

    @Test
    void stopsAtTheLimitWhileReading() {
        String body = "{\"data\":\"" + "x".repeat(5_000) + "\"}";

        assertRefused(body, 4_999, ErrorKind.PAYLOAD_TOO_LARGE, "too large");
    }

    @Test
    void neverHoldsTheLogItReads() throws IOException {
        // 64 MiB of log through the stream, read in small slices: memory stays at the stream's buffer
        long size = 64L << 20;
        InputStream body = new java.io.SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                new ByteArrayInputStream("{\"data\":\"".getBytes(StandardCharsets.UTF_8)),
                new Repeated("ab\\n", size / 3 * 4),
                new ByteArrayInputStream("\"}".getBytes(StandardCharsets.UTF_8)))));
        long read = 0;
        try (InputStream in = new LegacyDataStream(body, json, Long.MAX_VALUE, () -> null)) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                read += n;
            }
        }
        assertThat(read).isEqualTo(size / 3 * 4 / 4 * 3);
    }

    private String read(String body, long max, int slice) throws IOException {
        try (InputStream in = stream(body, max)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[slice];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private void assertRefused(String body, ErrorKind kind, String message) {
        assertRefused(body, 1_000_000, kind, message);
    }

    private void assertRefused(String body, long max, ErrorKind kind, String message) {
        assertThatThrownBy(() -> read(body, max, 3))
                .as(body)
                .isInstanceOfSatisfying(OsirisException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private LegacyDataStream stream(String body, long max) {
        return new LegacyDataStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), json, max,
                () -> new OsirisException(ErrorKind.PAYLOAD_TOO_LARGE, "data", "too large"));
    }

    /** {@code unit} repeated to {@code length} bytes, generated as read. */
    private static final class Repeated extends InputStream {
        private final byte[] unit;
        private final long length;
        private long position;

        Repeated(String unit, long length) {
            this.unit = unit.getBytes(StandardCharsets.UTF_8);
            this.length = length;
        }

        @Override
        public int read() {
            return position < length ? unit[(int) (position++ % unit.length)] : -1;
        }
    }
}
