package io.osiris.api;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read with a bound: the bytes are counted as they are read, and the read that passes the bound
 * fails with 413, so a parser never holds more than the bound however large the body is.
 */
public final class BoundedBody extends FilterInputStream {

    private final long limit;
    private final String what;
    private long read;

    private BoundedBody(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    public static InputStream of(InputStream in, long limit, String what) {
        return new BoundedBody(in, limit, what);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(long n) {
        read += n;
        if (read > limit) {
            throw new OsirisException(ErrorKind.PAYLOAD_TOO_LARGE, "body",
                    what + " is larger than its limit of " + limit + " bytes");
        }
    }
}
