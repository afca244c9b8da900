package io.osiris.redaction;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Masks a log on a thread of its own, a few chunks ahead of its reader, so that masking and the spooler's gzip run
 * on two cores at once instead of one after the other. At most {@value #CHUNKS} chunks of 64 KiB wait between them.
 */
final class ReadAhead extends InputStream implements MaskedLog {

    private static final int CHUNKS = 4;
    private static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final RedactedLog log;
    private final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    ReadAhead(RedactedLog log, Executor executor) {
        this.log = log;
        executor.execute(this::produce);
    }

    private void produce() {
        try {
            while (!closed) {
                byte[] chunk = new byte[CHUNK];
                int n = log.read(chunk, 0, CHUNK); // what there is: a followed log must not wait for a full chunk
                if (n < 0) {
                    put(END);
                    return;
                }
                put(n == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, n));
            }
        } catch (IOException | RuntimeException e) {
            put(e);
        }
    }

    private void put(Object item) {
        try {
            while (!closed && !chunks.offer(item, 1, TimeUnit.SECONDS)) {
                // the reader is slow (storage, a full spool): wait for it, or for it to close
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Map<String, Long> masked() {
        return log.masked();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == current.length) {
            if (ended) {
                return -1;
            }
            Object next;
            try {
                next = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the log");
            }
            if (next instanceof IOException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (next instanceof RuntimeException e) {
                throw e;
            }
            current = (byte[]) next;
            position = 0;
            ended = current == END;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        chunks.clear();
        log.close();
    }
}
