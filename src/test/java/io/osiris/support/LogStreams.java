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
        return new LineStream(size) {
            private long n = seed;

            @Override
            byte[] nextLine() {
                n++;
                return String.format(BUILD_LINES[(int) (n % BUILD_LINES.length)], n % 60).getBytes();
            }
        };
    }

    /** {@code size} bytes of random-letter text lines (compress badly: a worst case), the same for the same seed. */
    public static InputStream text(long size, long seed) {
        return new LineStream(size) {
            private long state = seed * 6364136223846793005L + 1442695040888963407L;
            private final byte[] line = new byte[100];

            @Override
            byte[] nextLine() {
                int length = 20 + (int) ((state >>> 33) % 79);
                for (int i = 0; i < length; i++) {
                    state = state * 6364136223846793005L + 1442695040888963407L;
                    line[i] = (byte) ('a' + (state >>> 59) % 26 + ((state >>> 40) % 7 == 0 ? ' ' - 'a' : 0));
                }
                line[length] = '\n';
                return java.util.Arrays.copyOf(line, length + 1);
            }
        };
    }

    private static final String[] VARIED_WORDS = {"INFO", "DEBUG", "WARN", "Downloading", "Compiling", "Copying",
        "org.example.module", "[step 3/7]", "artifact", "layer", "pushing", "Test", "passed", "com.acme.service.Impl",
        "/workspace/src/main/java", "sha256:", "npm", "http GET 200"};

    /**
     * {@code size} bytes of build-log-like lines with varying parts (timestamps, counters, words, digests): they
     * compress about 6:1 with gzip 6, within what real build logs do ({@link #buildLog} repeats itself and
     * compresses over 100:1). The same for the same seed.
     */
    public static InputStream variedBuildLog(long size, long seed) {
        return new LineStream(size) {
            private long state = seed * 6364136223846793005L + 1442695040888963407L;
            private long lineNumber;

            @Override
            byte[] nextLine() {
                lineNumber++;
                StringBuilder text = new StringBuilder(160);
                text.append(String.format("2026-12-03T%02d:%02d:%02d.%03dZ ", lineNumber / 3_600_000 % 24,
                        lineNumber / 60_000 % 60, lineNumber / 1000 % 60, lineNumber % 1000));
                text.append(VARIED_WORDS[next(VARIED_WORDS.length)]).append(' ')
                        .append(VARIED_WORDS[next(VARIED_WORDS.length)]).append(' ').append(lineNumber);
                if (next(8) == 0) {
                    text.append(' ').append(Long.toHexString(state));
                }
                int words = next(7);
                for (int i = 0; i < words; i++) {
                    text.append(' ').append(VARIED_WORDS[next(VARIED_WORDS.length)]);
                }
                text.append(" (").append(next(1000)).append(" kB)");
                return text.append('\n').toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }

            private int next(int bound) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                return (int) ((state >>> 33) % bound);
            }
        };
    }

    /** A stream of {@code size} bytes made of the lines {@link #nextLine()} makes, the last one cut at the size. */
    private abstract static class LineStream extends InputStream {
        private final long size;
        private long produced;
        private byte[] line = new byte[0];
        private int pos;

        LineStream(long size) {
            this.size = size;
        }

        abstract byte[] nextLine();

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
                if (pos == line.length) {
                    line = nextLine();
                    pos = 0;
                }
                b[off + i] = line[pos++];
            }
            produced += n;
            return n;
        }
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
