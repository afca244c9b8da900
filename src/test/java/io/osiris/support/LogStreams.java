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

    /** {@code size} bytes of log-like text lines, the same for the same seed. */
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
