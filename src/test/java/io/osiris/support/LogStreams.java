package io.osiris.support;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Build logs of any size made on the fly (never held in memory), and their SHA-256. */
public final class LogStreams {

    private LogStreams() {
    }

    private static final String[] BUILD_LINES = {
        "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/apache/camel/camel-core/%d/x.pom\n",
        "STEP %d/12: RUN mvn -B package -DskipTests\n",
        "[INFO] Tests run: %d, Failures: 0, Errors: 0, Skipped: 0\n",
        "Copying blob sha256:3f4ca61aafcd4fc07267a105067db35c0f0ac630e1970f3cd0c7bf55278%04d\n",
        "2026-11-29T10:00:%02d.123Z INFO  Starting build step of namespace ci\n"};

    /** {@code size} bytes that look like a real build log (and compress like one), the same for the same seed. */
    public static InputStream buildLog(long size, long seed) {
        return new InputStream() {
            private long produced;
            private long n = seed;
            private byte[] line = new byte[0];
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= size) {
                    return -1;
                }
                int count = (int) Math.min(len, size - produced);
                for (int i = 0; i < count; i++) {
                    if (pos == line.length) {
                        n++;
                        line = String.format(BUILD_LINES[(int) (n % BUILD_LINES.length)], n % 60).getBytes();
                        pos = 0;
                    }
                    b[off + i] = line[pos++];
                }
                produced += count;
                return count;
            }
        };
    }

    /** {@code size} bytes of random-letter text lines (compress badly: a worst case), the same for the same seed. */
    public static InputStream text(long size, long seed) {
        return new InputStream() {
            private long produced;
            private long state = seed * 6364136223846793005L + 1442695040888963407L;
            private final byte[] line = new byte[100];
            private int lineLength;
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (produced >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - produced);
                for (int i = 0; i < n; i++) {
                    if (pos == lineLength) {
                        fillLine();
                    }
                    b[off + i] = line[pos++];
                }
                produced += n;
                return n;
            }

            private void fillLine() {
                int length = 20 + (int) ((state >>> 33) % 79);
                for (int i = 0; i < length; i++) {
                    state = state * 6364136223846793005L + 1442695040888963407L;
                    line[i] = (byte) ('a' + (state >>> 59) % 26 + ((state >>> 40) % 7 == 0 ? ' ' - 'a' : 0));
                }
                line[length] = '\n';
                lineLength = length + 1;
                pos = 0;
            }
        };
    }

    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream stream = new DigestInputStream(in, digest)) {
            stream.transferTo(OutputStreamSink.INSTANCE);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
