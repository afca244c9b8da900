package io.osiris.buildlog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.osiris.buildlog.LogMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.osiris.records.BuildRef;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.StorageProperties;
import io.osiris.support.FollowedReply;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveLogsTest {

    @TempDir
    Path spool;

    private final BuildRef build = new BuildRef("local", "ns", "live", null);

    @Test
    void aFollowerReadsTheLogWhileItIsSpooledAndReachesItsEnd() throws Exception {
        LiveLogs live = new LiveLogs();
        StorageProperties storage = new StorageProperties(null, "us-east-1", "b", "", "k", "s",
                StorageProperties.Compression.gzip, 6, 8388608, new StorageProperties.Embedded(spool, 0));
        LogSpooler spooler = new LogSpooler(new SpoolProperties(spool, Duration.ofSeconds(30), org.springframework.util.unit.DataSize.ofGigabytes(8)),
                new BuildKeys("", StorageProperties.Compression.gzip), storage,
                JsonMapper.builder().findAndAddModules().build(), live,
                new LogMetrics(new SimpleMeterRegistry()), new io.osiris.records.HomeCluster("local"));
        ChunkPipe pipe = new ChunkPipe(1024 * 1024);
        CompletableFuture<SpooledLog> spooled = CompletableFuture.supplyAsync(
                () -> spooler.spool(pipe.input(), build, Long.MAX_VALUE));
        StringBuilder written = new StringBuilder("first\n");
        pipe.write("first\n".getBytes());

        FollowedReply follower = FollowedReply.reading(live.await(build, Duration.ofSeconds(10)).orElseThrow().stream());
        for (int i = 0; i < 100 && follower.text().isEmpty(); i++) {
            written.append("more ").append(i).append('\n');
            pipe.write(("more " + i + "\n").getBytes());
            Thread.sleep(20);
        }
        assertThat(follower.text()).startsWith("first\n");
        assertThat(follower.done).isNotDone();

        written.append("end\n");
        pipe.write("end\n".getBytes());
        pipe.close();
        spooled.get(10, TimeUnit.SECONDS);
        follower.done.get(10, TimeUnit.SECONDS);
        assertThat(follower.text()).isEqualTo(written.toString());
    }

    @Test
    void manyFollowersShareOneCopyOnceTheyHaveCaughtUpAndAllGetTheWholeLog() throws Exception {
        Spooling spooling = startSpooling();
        LiveLogs live = spooling.live();
        ChunkPipe pipe = spooling.pipe();
        CompletableFuture<SpooledLog> spooled = spooling.spooled();
        StringBuilder written = new StringBuilder();
        // more than the window: followers from the start read the spool file first
        writeWindows(pipe, written, 3, i -> "early line " + i + " " + "x".repeat(i % 50) + "\n");
        List<InputStream> followers = new ArrayList<>();
        List<CompletableFuture<String>> reads = new ArrayList<>();
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(20);
        for (int f = 0; f < 20; f++) {
            InputStream follower = live.await(build, Duration.ofSeconds(10)).orElseThrow().stream();
            followers.add(follower);
            reads.add(CompletableFuture.supplyAsync(() -> {
                // the first byte lies behind the window: from here on this follower reads the spool file
                String first = new String(readFirst(follower));
                reading.countDown();
                return first + readAll(follower);
            }, THREADS));
        }
        // what the writer wrote faster than the window before they came (768 KiB within the first flush interval)
        // is readable although it writes nothing more: the first follower flushed it
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
        // they catch up with the writer: then none of them has a reader of the spool file any more
        for (int i = 0; live.spoolReaders() > 0 && i < 500; i++) {
            write(pipe, written, "late line " + i + "\n");
            Thread.sleep(10);
        }
        assertThat(live.spoolReaders()).isZero();
        write(pipe, written, "after the catch-up\n");
        assertThat(live.spoolReaders()).isZero();
        pipe.close();
        spooled.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<String> read : reads) {
            assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(written.toString());
        }
    }

    @Test
    void aFollowerWhoComesAfterAFastWriterWentQuietReadsAllItWroteWithoutWaitingForMore() throws Exception {
        // also: a log nobody follows keeps no window in memory; the first follower reads what came before from disk
        Spooling spooling = startSpooling();
        LiveLogs live = spooling.live();
        ChunkPipe pipe = spooling.pipe();
        CompletableFuture<SpooledLog> spooled = spooling.spooled();
        StringBuilder written = new StringBuilder();
        // four windows at once, then a pause (a long compile step): the last flush lies far behind the window
        writeWindows(pipe, written, 4, i -> "compiling unit " + i + " " + "y".repeat(i % 40) + "\n");
        Thread.sleep(500); // the writer has spooled all of it (within its first flush interval) and waits for more
        assertThat(live.windowBytes(build)).isZero();
        InputStream follower = live.await(build, Duration.ofSeconds(10)).orElseThrow().stream();
        assertThat(live.windowBytes(build)).isEqualTo(LiveLogs.WINDOW);
        int expected = written.length();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(follower.readNBytes(expected));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, THREADS);
        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(written.toString());
        assertThat(spooled).isNotDone();

        write(pipe, written, "done\n");
        pipe.close();
        spooled.get(30, TimeUnit.SECONDS);
        assertThat(read.get() + readAll(follower)).isEqualTo(written.toString());
    }

    @Test
    void aFollowerThatFallsBehindTheWindowStillGetsEveryByte() throws Exception {
        Spooling spooling = startSpooling();
        LiveLogs live = spooling.live();
        ChunkPipe pipe = spooling.pipe();
        CompletableFuture<SpooledLog> spooled = spooling.spooled();
        StringBuilder written = new StringBuilder();
        write(pipe, written, "start\n");
        InputStream slow = live.await(build, Duration.ofSeconds(10)).orElseThrow().stream();
        byte[] first = new byte[6];
        assertThat(slow.readNBytes(first, 0, 6)).isEqualTo(6);
        // the writer goes on far past the window while this follower reads nothing
        writeWindows(pipe, written, 4, i -> "line " + i + "\n");
        pipe.close();
        spooled.get(30, TimeUnit.SECONDS);
        assertThat(new String(first) + readAll(slow)).isEqualTo(written.toString());
    }

    @Test
    void followersStartAtALineAtTheLastLinesOrAtAnOffsetAndKnowTheirFirstLine() throws Exception {
        Spooling spooling = startSpooling();
        LiveLogs live = spooling.live();
        ChunkPipe pipe = spooling.pipe();
        CompletableFuture<SpooledLog> spooled = spooling.spooled();
        StringBuilder written = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            write(pipe, written, "l" + i + "\n");
        }
        live.await(build, Duration.ofSeconds(10)).orElseThrow().close();
        Thread.sleep(100); // the writer has taken all ten lines
        LiveLogs.Follower atLine = live.follow(build, LogStart.atLine(9)).orElseThrow();
        LiveLogs.Follower last = live.follow(build, LogStart.lastLines(2)).orElseThrow();
        LiveLogs.Follower atOffset = live.follow(build, LogStart.atOffset(3)).orElseThrow();
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> readAll(atLine.stream()), THREADS);
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> readAll(last.stream()), THREADS);
        CompletableFuture<String> c = CompletableFuture.supplyAsync(() -> readAll(atOffset.stream()), THREADS);
        write(pipe, written, "l11\n");
        pipe.close();
        spooled.get(30, TimeUnit.SECONDS);

        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("l9\nl10\nl11\n");
        assertThat(atLine.firstLine()).isEqualTo(9);
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("l9\nl10\nl11\n");
        assertThat(last.firstLine()).isEqualTo(9);
        assertThat(c.get(30, TimeUnit.SECONDS)).isEqualTo(written.substring(3));
        assertThat(atOffset.firstLine()).isEqualTo(2);
    }

    @Test
    void aFollowerOfAnUploadThatBreaksOffGetsAnErrorNotAnEnd() throws Exception {
        Spooling spooling = startSpooling();
        LiveLogs live = spooling.live();
        ChunkPipe pipe = spooling.pipe();
        CompletableFuture<SpooledLog> spooled = spooling.spooled();
        pipe.write("some\n".getBytes());
        InputStream follower = live.await(build, Duration.ofSeconds(10)).orElseThrow().stream();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> readAll(follower), THREADS);

        pipe.fail(new java.io.IOException("client went away"));

        assertThat(spooled).failsWithin(Duration.ofSeconds(30));
        assertThat(read).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .withMessageContaining("broke off");
    }

    /** A log being spooled from a pipe the test writes to, and the live logs that see it. */
    private record Spooling(LiveLogs live, ChunkPipe pipe, CompletableFuture<SpooledLog> spooled) {
    }

    private Spooling startSpooling() throws java.io.IOException {
        LiveLogs live = new LiveLogs();
        LogSpooler spooler = spooler(live);
        ChunkPipe pipe = new ChunkPipe(1024 * 1024);
        return new Spooling(live, pipe, CompletableFuture.supplyAsync(
                () -> spooler.spool(pipe.input(), build, Long.MAX_VALUE), THREADS));
    }

    private LogSpooler spooler(LiveLogs live) throws java.io.IOException {
        StorageProperties storage = new StorageProperties(null, "us-east-1", "b", "", "k", "s",
                StorageProperties.Compression.gzip, 6, 8388608, new StorageProperties.Embedded(spool, 0));
        return new LogSpooler(new SpoolProperties(spool, Duration.ofSeconds(30),
                org.springframework.util.unit.DataSize.ofGigabytes(8)),
                new BuildKeys("", StorageProperties.Compression.gzip), storage,
                JsonMapper.builder().findAndAddModules().build(), live, new LogMetrics(new SimpleMeterRegistry()), new io.osiris.records.HomeCluster("local"));
    }

    private static void write(ChunkPipe pipe, StringBuilder written, String text) throws InterruptedException {
        written.append(text);
        pipe.write(text.getBytes());
    }

    /** Writes lines {@code line(0)}, {@code line(1)}, ... until {@code windows} windows' worth is written. */
    private static void writeWindows(ChunkPipe pipe, StringBuilder written, int windows,
                                     java.util.function.IntFunction<String> line) throws InterruptedException {
        for (int i = 0; written.length() < windows * LiveLogs.WINDOW; i++) {
            write(pipe, written, line.apply(i));
        }
    }

    private static byte[] readFirst(InputStream in) {
        try {
            return in.readNBytes(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final java.util.concurrent.ExecutorService THREADS =
            java.util.concurrent.Executors.newCachedThreadPool();
}
