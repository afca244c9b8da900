package io.osiris.buildlog;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the stream under it only when first read: a pod container's log when its turn in the sequence comes, or
 * a gzip reader whose header the writer may not have flushed yet.
 */
public final class LazyInputStream extends InputStream {

    /** Opens the stream. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private InputStream in;

    public LazyInputStream(Opener opener) {
        this.opener = opener;
    }

    private InputStream in() throws IOException {
        if (in == null) {
            in = opener.open();
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in().read(b, off, len);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
