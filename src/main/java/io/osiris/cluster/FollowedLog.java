package io.osiris.cluster;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;

/**
 * A followed log that tells, once its stream ends, whether the build had ended by then. The question is asked at
 * the end of the stream, before the log is stored, so a build event that arrives after the log is visible cannot
 * turn a broken-off follow into a complete one.
 */
final class FollowedLog extends FilterInputStream {

    private final BooleanSupplier buildEnded;
    private Boolean complete;

    FollowedLog(InputStream in, BooleanSupplier buildEnded) {
        super(in);
        this.buildEnded = buildEnded;
    }

    /** Whether the stream ended with the build; null while it has not ended. */
    Boolean complete() {
        return complete;
    }

    @Override
    public int read() throws IOException {
        return ended(super.read());
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return ended(super.read(b, off, len));
    }

    private int ended(int n) {
        if (n < 0 && complete == null) {
            complete = buildEnded.getAsBoolean();
        }
        return n;
    }
}
