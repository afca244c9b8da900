package io.osiris.buildlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.records.LogInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class LogViewTest {

    private static final String LOG = "alpha\nbeta\ngamma\ndelta";
    private static final LogInfo GZIP = new LogInfo("k", LOG.length(), 0, "x", 4, "gzip", null, null, null);
    private static final LogInfo PLAIN = new LogInfo("k", LOG.length(), 0, "x", 4, "identity", null, null, null);

    @Test
    void decodesGzipAndPassesPlainThrough() throws IOException {
        assertThat(text(LogView.decoded(gzip(LOG), GZIP))).isEqualTo(LOG);
        assertThat(text(LogView.decoded(plain(LOG), PLAIN))).isEqualTo(LOG);
    }

    @Test
    void rangeSkipsAndStopsAtTheRightBytes() throws IOException {
        assertThat(text(LogView.range(LogView.decoded(gzip(LOG), GZIP), 6, 4))).isEqualTo("beta");
        assertThat(text(LogView.range(plain(LOG), 17, 100))).isEqualTo("delta");
    }

    @Test
    void tailKeepsTheLastLinesEvenWithoutFinalNewline() throws IOException {
        assertThat(text(LogView.tail(plain(LOG), 4, 2))).isEqualTo("gamma\ndelta");
        assertThat(text(LogView.tail(plain(LOG), 4, 1))).isEqualTo("delta");
        assertThat(text(LogView.tail(plain(LOG), 4, 9))).isEqualTo(LOG);
    }

    private static InputStream plain(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream gzip(String s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return new ByteArrayInputStream(bytes.toByteArray());
    }

    private static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
