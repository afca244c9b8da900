package io.osiris.buildlog;

import java.io.IOException;
import java.io.InputStream;

/** A stream that reads in blocks only: the one-byte {@link #read()} is a block read of one byte. */
abstract class BlockReads extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        while ((n = read(one, 0, 1)) == 0) {
            // a block read may answer 0 (nothing yet within its wait): a one-byte read waits on
        }
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
