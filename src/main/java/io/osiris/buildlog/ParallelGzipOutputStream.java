package io.osiris.buildlog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose blocks are compressed on all cores, in pigz's layout: the input is cut into blocks, each block
 * is deflated on its own with the last 32 KiB of the block before it as dictionary (so the ratio stays that of one
 * stream) and ends with a sync flush; the blocks are written in order between one gzip header and one trailer. The
 * result is a single ordinary gzip member: every gzip reader reads it, and each block boundary is a point up to which
 * a reader can decode (followers of a live log rely on that).
 * <p>
 * Memory is bounded: at most {@link #IN_FLIGHT} blocks of one stream are being compressed at a time; the writer
 * waits for the oldest before it hands over another. {@link #flush()} compresses what is buffered and writes every
 * block out. The compressors and their {@link Deflater}s are shared by all streams of the process.
 */
final class ParallelGzipOutputStream extends OutputStream {

    /** Raw deflate (no zlib wrapper), one per compressing thread and level, reset for each block. */
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);

    private static final Compressors COMPRESSORS = new Compressors();

    /** The compressing threads: one per core, daemons, shared by every stream. */
    private static final class Compressors {
        private final int size = Math.max(1, Runtime.getRuntime().availableProcessors());
        private final ExecutorService threads = Executors.newFixedThreadPool(size, task -> {
            Thread thread = new Thread(task, "osiris-gzip");
            thread.setDaemon(true);
            return thread;
        });

        int size() {
            return size;
        }

        Future<byte[]> submit(java.util.concurrent.Callable<byte[]> block) {
            return threads.submit(block);
        }
    }

    /** Uncompressed bytes per block (pigz's default). */
    static final int BLOCK = 128 * 1024;
    /** Deflate's window: the dictionary a block gets from the one before it. */
    private static final int DICTIONARY = 32 * 1024;
    /** Blocks of one stream being compressed at once: enough to keep every core busy. */
    static final int IN_FLIGHT = Math.max(2, COMPRESSORS.size() * 2);
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final CRC32 crc = new CRC32();
    private final Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK];
    private int filled;
    /** The last bytes of the block handed over before, the next block's dictionary. */
    private byte[] dictionary;
    private long size;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
        this.out = out;
        this.level = level;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        crc.update(b, off, len);
        size += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                handOver(false);
            }
        }
    }

    /** Compresses what is buffered and writes out every block: a reader can decode all bytes written so far. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        if (filled > 0) {
            handOver(false);
        }
        while (!inFlight.isEmpty()) {
            writeOldest();
        }
        out.flush();
    }

    /** The last block (final, possibly empty), then the trailer: CRC-32 and size modulo 2^32, little-endian. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            handOver(true);
            while (!inFlight.isEmpty()) {
                writeOldest();
            }
            writeIntLe((int) crc.getValue());
            writeIntLe((int) size);
            out.flush();
        } finally {
            closed = true;
            inFlight.forEach(block -> block.cancel(false));
            out.close();
        }
    }

    private void handOver(boolean last) throws IOException {
        if (inFlight.size() >= IN_FLIGHT) {
            writeOldest();
        }
        byte[] input = block;
        int length = filled;
        byte[] preset = dictionary;
        inFlight.add(COMPRESSORS.submit(() -> deflate(input, length, preset, level, last)));
        dictionary = Arrays.copyOfRange(input, Math.max(0, length - DICTIONARY), length);
        if (preset != null && length < DICTIONARY) {
            // a short block (a flush): the window reaches back into the dictionary it had itself
            byte[] joined = new byte[Math.min(DICTIONARY, preset.length + length)];
            int fromPreset = joined.length - length;
            System.arraycopy(preset, preset.length - fromPreset, joined, 0, fromPreset);
            System.arraycopy(input, 0, joined, fromPreset, length);
            dictionary = joined;
        }
        block = new byte[BLOCK];
        filled = 0;
    }

    private void writeOldest() throws IOException {
        Future<byte[]> oldest = inFlight.removeFirst();
        try {
            out.write(oldest.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compression failed", e.getCause());
        }
    }

    private void writeIntLe(int value) throws IOException {
        out.write(value & 0xff);
        out.write((value >>> 8) & 0xff);
        out.write((value >>> 16) & 0xff);
        out.write((value >>> 24) & 0xff);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }

    /** One block as raw deflate data: ends with a sync flush, or with the final block when {@code last}. */
    private static byte[] deflate(byte[] input, int length, byte[] dictionary, int level, boolean last) {
        Deflater[] byLevel = DEFLATERS.get();
        int index = level < 0 ? 0 : level;
        if (byLevel[index] == null) {
            byLevel[index] = new Deflater(level, true);
        }
        Deflater deflater = byLevel[index];
        deflater.reset();
        if (dictionary != null) {
            deflater.setDictionary(dictionary);
        }
        deflater.setInput(input, 0, length);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 4 + 64);
        byte[] buffer = new byte[16 * 1024];
        if (last) {
            deflater.finish();
            while (!deflater.finished()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
        } else {
            int n;
            // a sync flush is complete once deflate leaves room in the buffer
            do {
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                compressed.write(buffer, 0, n);
            } while (n == buffer.length || !deflater.needsInput());
        }
        return compressed.toByteArray();
    }
}
