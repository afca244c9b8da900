package io.osiris.buildlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.ArrayDeque;

/**
 * Hands byte chunks from a producer (a gRPC stream, a search's results) to a reader (the spooler) with at most {@code budget} bytes in
 * between: the writer waits while the reader is behind, so a fast client cannot fill the heap.
 */
public final class ChunkPipe {

    private final long budget;
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private long buffered;
    private boolean closed;
    private IOException failure;
    private boolean readerGone;

    public ChunkPipe(long budget) {
        this.budget = budget;
    }

    /** Adds a chunk; false when the reader has gone away (the upload failed) and nothing more is wanted. */
    public boolean write(byte[] chunk) throws InterruptedException {
        return write(ByteBuffer.wrap(chunk), Long.MAX_VALUE);
    }

    /**
     * Adds the remaining bytes of {@code chunk}, which the writer no longer changes (a view of a gRPC message's
     * bytes, so that they are not copied once more on the way to the spooler).
     */
    public boolean write(ByteBuffer chunk) throws InterruptedException {
        return write(chunk, Long.MAX_VALUE);
    }

    /** As {@link #write(ByteBuffer)}, also false when the reader took nothing for {@code patienceNanos}. */
    public boolean write(byte[] chunk, long patienceNanos) throws InterruptedException {
        return write(ByteBuffer.wrap(chunk), patienceNanos);
    }

    private synchronized boolean write(ByteBuffer chunk, long patienceNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(patienceNanos, Long.MAX_VALUE / 2);
        while (!readerGone && buffered > 0 && buffered + chunk.remaining() > budget) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (readerGone) {
            return false;
        }
        buffered += chunk.remaining();
        chunks.add(chunk);
        notifyAll();
        return true;
    }

    /** The log is complete. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The writer failed: the reader gets this error instead of the end of the log. */
    public synchronized void fail(IOException error) {
        failure = error;
        notifyAll();
    }

    public InputStream input() {
        return new BlockReads() {
            private ByteBuffer current;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (current == null || !current.hasRemaining()) {
                    current = next();
                    if (current == null) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.remaining());
                current.get(b, off, n);
                return n;
            }

            @Override
            public void close() {
                synchronized (ChunkPipe.this) {
                    readerGone = true;
                    ChunkPipe.this.notifyAll();
                }
            }
        };
    }

    private synchronized ByteBuffer next() throws IOException {
        while (chunks.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            if (closed) {
                return null;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("log upload interrupted");
            }
        }
        ByteBuffer chunk = chunks.poll();
        buffered -= chunk.remaining();
        notifyAll();
        return chunk;
    }
}
