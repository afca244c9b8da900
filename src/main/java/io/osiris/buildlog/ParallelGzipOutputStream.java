package io.osiris.buildlog;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose blocks are compressed on idle cores, in pigz's layout: the input is cut into blocks, each block
 * is deflated on its own with the last 32 KiB of the block before it as dictionary (so the ratio stays that of one
 * stream) and ends with a sync flush; the blocks are written in order between one gzip header and one trailer. The
 * result is a single ordinary gzip member: every gzip reader reads it, and each block boundary is a point up to which
 * a reader can decode (followers of a live log rely on that).
 * <p>
 * A block goes to the shared compressing threads (one per core) when one of them is free; when none is, the writer
 * waits for its own oldest block, or, with none under way (the cores are busy with other streams), compresses the
 * block itself as a plain gzip stream would. So one upload on a quiet machine uses every core, many uploads at once
 * share them without a queue of blocks, and at most {@link #IN_FLIGHT} blocks of one stream are under way, in
 * buffers that are reused. {@link #flush()} compresses what is buffered and writes every block out.
 */
final class ParallelGzipOutputStream extends OutputStream {

    /** Raw deflate (no zlib wrapper), one per compressing thread and level, reset for each block. */
    private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);
    private static final int CORES = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final ExecutorService COMPRESSORS = Executors.newFixedThreadPool(CORES, task -> {
        Thread thread = new Thread(task, "osiris-gzip");
        thread.setDaemon(true);
        return thread;
    });
    /** Compressing threads not busy: a block is handed over only when one is. */
    private static final Semaphore IDLE = new Semaphore(CORES);

    /** Uncompressed bytes per block (pigz's default). */
    static final int BLOCK = 128 * 1024;
    /** Deflate's window: the dictionary a block gets from the one before it. */
    private static final int DICTIONARY = 32 * 1024;
    /** Blocks of one stream under way at once: one per core and the writer's own. */
    static final int IN_FLIGHT = CORES + 1;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final int level;
    private final CRC32 crc = new CRC32();
    private final Deque<Future<Compressed>> inFlight = new ArrayDeque<>();
    private final Deque<byte[]> spareInputs = new ArrayDeque<>();
    private final Deque<byte[]> spareOutputs = new ArrayDeque<>();
    /** The writer's own compressor, for blocks it compresses itself. */
    private Deflater own;
    /** Whether the block before was compressed by {@link #own}, which then holds its window already. */
    private boolean ownContinues;
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
            if (own != null) {
                own.end();
            }
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
        byte[] output = spare(spareOutputs, BLOCK + BLOCK / 8 + 1024);
        while (true) {
            if (IDLE.tryAcquire()) {
                ownContinues = false;
                inFlight.add(COMPRESSORS.submit(() -> {
                    try {
                        return deflate(shared(level), true, input, length, preset, output, last);
                    } finally {
                        IDLE.release();
                    }
                }));
                break;
            }
            if (inFlight.isEmpty()) {
                // every core is busy with other streams: this one compresses its own, as a plain gzip stream would
                if (own == null) {
                    own = new Deflater(level, true);
                }
                // right after its own last block, its compressor goes on from where it was: no dictionary to load
                inFlight.add(CompletableFuture.completedFuture(
                        deflate(own, !ownContinues, input, length, preset, output, last)));
                ownContinues = true;
                break;
            }
            writeOldest(); // this stream's own blocks keep the cores busy: wait for the oldest, which frees one
        }
        dictionary = nextDictionary(preset, input, length);
        block = spare(spareInputs, BLOCK);
        filled = 0;
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            writeOldest(); // done ones go out at once: their buffers are free again
        }
    }

    /** The last 32 KiB before the next block: of this block, reaching back into its own dictionary when short. */
    private static byte[] nextDictionary(byte[] preset, byte[] input, int length) {
        int fromPreset = preset == null ? 0 : Math.min(preset.length, DICTIONARY - Math.min(DICTIONARY, length));
        byte[] next = new byte[fromPreset + Math.min(DICTIONARY, length)];
        if (fromPreset > 0) {
            System.arraycopy(preset, preset.length - fromPreset, next, 0, fromPreset);
        }
        System.arraycopy(input, length - (next.length - fromPreset), next, fromPreset, next.length - fromPreset);
        return next;
    }

    private static byte[] spare(Deque<byte[]> spares, int size) {
        byte[] buffer = spares.pollFirst();
        return buffer != null ? buffer : new byte[size];
    }

    private void writeOldest() throws IOException {
        Future<Compressed> oldest = inFlight.removeFirst();
        Compressed done;
        try {
            done = oldest.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compression failed", e.getCause());
        }
        out.write(done.output(), 0, done.length());
        spareInputs.add(done.input());
        spareOutputs.add(done.output());
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

    private static Deflater shared(int level) {
        Deflater[] byLevel = DEFLATERS.get();
        int index = Math.max(0, level);
        if (byLevel[index] == null) {
            byLevel[index] = new Deflater(level, true);
        }
        return byLevel[index];
    }

    /** One block as raw deflate data: ends with a sync flush, or with the final block when {@code last}. */
    private static Compressed deflate(Deflater deflater, boolean fresh, byte[] input, int length, byte[] dictionary,
                                      byte[] output, boolean last) {
        if (fresh) {
            deflater.reset();
            if (dictionary != null) {
                deflater.setDictionary(dictionary);
            }
        }
        deflater.setInput(input, 0, length);
        if (last) {
            deflater.finish();
        }
        int n = 0;
        while (true) {
            n += last ? deflater.deflate(output, n, output.length - n)
                    : deflater.deflate(output, n, output.length - n, Deflater.SYNC_FLUSH);
            // a sync flush is complete once deflate leaves room in the buffer
            if (last ? deflater.finished() : n < output.length) {
                return new Compressed(input, output, n);
            }
            output = Arrays.copyOf(output, output.length * 2);
        }
    }

    /** A compressed block and the buffers it used, given back to the stream once written. */
    private record Compressed(byte[] input, byte[] output, int length) {
    }
}
