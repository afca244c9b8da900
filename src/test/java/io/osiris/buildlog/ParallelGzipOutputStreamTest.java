package io.osiris.buildlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelGzipOutputStreamTest {

    @TempDir
    Path directory;

    @Test
    void everySizeAroundTheBlockBoundariesReadsBackWhole() throws Exception {
        int block = ParallelGzipOutputStream.BLOCK;
        for (int size : new int[] {0, 1, 1000, block - 1, block, block + 1, 3 * block,
                ParallelGzipOutputStream.IN_FLIGHT * block + 17}) {
            byte[] log = buildLog(size, size);
            assertThat(gunzip(parallelGzip(log, 6, 4096))).as("%d bytes", size).isEqualTo(log);
        }
    }

    @Test
    void aLargeLogInOddWritesIsOneGzipMemberThatGzipItselfReads() throws Exception {
        byte[] log = buildLog(5 * 1024 * 1024 + 3, 7);
        byte[] compressed = parallelGzip(log, 6, 77_777);
        assertThat(gunzip(compressed)).isEqualTo(log);
        // one member: the trailer's size is the whole log's, so a single-member reader (gzip -l) agrees
        int isize = (compressed[compressed.length - 4] & 0xff) | (compressed[compressed.length - 3] & 0xff) << 8
                | (compressed[compressed.length - 2] & 0xff) << 16 | (compressed[compressed.length - 1] & 0xff) << 24;
        assertThat(isize).isEqualTo(log.length);
        Path file = directory.resolve("log.gz");
        Files.write(file, compressed);
        Process gzip = new ProcessBuilder("gzip", "-dc", file.toString()).start();
        byte[] decoded = gzip.getInputStream().readAllBytes();
        assertThat(gzip.waitFor()).isZero();
        assertThat(decoded).isEqualTo(log);
    }

    @Test
    void theRatioIsThatOfOneStreamBecauseEachBlockHasTheLastOnesWindow() throws Exception {
        // flushed every 8 KiB, as a followed log is: each flush ends a block, so blocks are short
        byte[] log = buildLog(2 * 1024 * 1024, 11);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        ByteArrayOutputStream parallel = new ByteArrayOutputStream();
        try (GZIPOutputStream one = new GZIPOutputStream(single, 8192, true);
             ParallelGzipOutputStream blocks = new ParallelGzipOutputStream(parallel, 6)) {
            for (int at = 0; at < log.length; at += 8192) {
                one.write(log, at, 8192);
                one.flush();
                blocks.write(log, at, 8192);
                blocks.flush();
            }
        }
        assertThat(gunzip(parallel.toByteArray())).isEqualTo(log);
        // the same size as one stream (1.3 % more without the dictionaries: every block would start cold)
        assertThat((double) parallel.size()).isLessThan(single.size() * 1.002);
    }

    @Test
    void afterAFlushEverythingWrittenSoFarDecodesFromThePrefixOnDisk() throws Exception {
        byte[] log = buildLog(600_000, 3);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(sink, 6)) {
            int[] cuts = {10, 200_000, 200_001, 450_000};
            int at = 0;
            for (int cut : cuts) {
                out.write(log, at, cut - at);
                at = cut;
                out.flush();
                byte[] prefix = sink.toByteArray();
                assertThat(inflateRaw(Arrays.copyOfRange(prefix, 10, prefix.length)))
                        .isEqualTo(Arrays.copyOf(log, cut));
            }
            out.write(log, at, log.length - at);
        }
        assertThat(gunzip(sink.toByteArray())).isEqualTo(log);
    }

    @Test
    void manyStreamsAtOnceShareTheCompressorsAndEachGetsItsOwnBytes() throws Exception {
        java.util.List<java.util.concurrent.CompletableFuture<Boolean>> streams = new java.util.ArrayList<>();
        for (int s = 0; s < 12; s++) {
            int seed = s;
            streams.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] log = buildLog(1024 * 1024 + seed, seed);
                    return Arrays.equals(gunzip(parallelGzip(log, 1 + seed % 9, 8192 + seed)), log);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        for (var stream : streams) {
            assertThat(stream.get()).isTrue();
        }
    }

    private static byte[] parallelGzip(byte[] log, int level, int writeSize) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(sink, level)) {
            for (int at = 0; at < log.length; at += writeSize) {
                out.write(log, at, Math.min(writeSize, log.length - at));
            }
        }
        return sink.toByteArray();
    }

    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    /** Decodes a raw deflate prefix as far as it goes (no final block needed). */
    private static byte[] inflateRaw(byte[] deflated) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = inflater.inflate(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        inflater.end();
        return out.toByteArray();
    }

    /** Build-log-like text: timestamps, a few words, numbers, some noise. */
    private static byte[] buildLog(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"INFO", "Downloading", "Compiling", "org.example.module", "[step 3/7]", "artifact",
                "sha256:", "pushing", "Test", "passed", "com.acme.service.Impl"};
        StringBuilder text = new StringBuilder(size + 200);
        for (int i = 0; text.length() < size; i++) {
            text.append("2026-12-03T04:").append(i / 60 % 60).append(':').append(i % 60).append(' ')
                    .append(words[random.nextInt(words.length)]).append(' ').append(i).append(' ')
                    .append(Long.toHexString(random.nextLong()).repeat(random.nextInt(2))).append('\n');
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.UTF_8), size);
    }
}
