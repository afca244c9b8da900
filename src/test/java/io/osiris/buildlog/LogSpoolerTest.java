package io.osiris.buildlog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.osiris.buildlog.LogMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.osiris.records.BuildRef;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.StorageProperties;
import io.osiris.support.LogStreams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class LogSpoolerTest {

    @TempDir
    Path spool;

    private final BuildRef build = new BuildRef("local", "ns", "b1", "u1");

    @Test
    void spoolsCompressedHashedAndCounted() throws IOException {
        SpooledLog spooled = spooler(StorageProperties.Compression.gzip)
                .spool(LogStreams.text(1_000_000, 2), build, Long.MAX_VALUE);

        assertThat(spooled.log().size()).isEqualTo(1_000_000);
        assertThat(spooled.log().sha256()).isEqualTo(LogStreams.sha256(LogStreams.text(1_000_000, 2)));
        assertThat(spooled.log().storedSize()).isEqualTo(Files.size(spooled.file())).isLessThan(1_000_000);
        assertThat(spooled.log().key()).isEqualTo("builds/local/ns/b1/u1/log.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(spooled.file()))) {
            assertThat(LogStreams.sha256(in)).isEqualTo(spooled.log().sha256());
        }
    }

    @Test
    void theBacklogCountsCompleteLogsUntilTheyAreStoredAndThoseAnEarlierRunLeft() {
        LogSpooler spooler = spooler(StorageProperties.Compression.none);
        SpooledLog first = spooler.spool(bytes("one\n"), build, 100);
        spooler.spool(bytes("second\n"), new BuildRef("local", "ns", "b2", null), 100);
        assertThat(spooler.backlog()).isEqualTo(new LogSpooler.Backlog(2, 4 + 7));

        spooler.delete(first);
        spooler.delete(first);
        assertThat(spooler.backlog()).isEqualTo(new LogSpooler.Backlog(1, 7));
        // refused logs never count
        assertThatThrownBy(() -> spooler.spool(bytes("x".repeat(200)), build, 100));
        assertThat(spooler.backlog()).isEqualTo(new LogSpooler.Backlog(1, 7));
        // a new replica on the same spool finds what is left
        assertThat(spooler(StorageProperties.Compression.none).backlog()).isEqualTo(new LogSpooler.Backlog(1, 7));
    }

    @Test
    void countsLinesWithAndWithoutAFinalNewline() {
        LogSpooler spooler = spooler(StorageProperties.Compression.none);
        assertThat(spooler.spool(bytes("a\nb\n"), build, 100).log().lines()).isEqualTo(2);
        assertThat(spooler.spool(bytes("a\nb"), build, 100).log().lines()).isEqualTo(2);
        assertThat(spooler.spool(bytes(""), build, 100).log().lines()).isZero();
    }

    @Test
    void aLogOverTheLimitIsRefusedAndItsSpoolFileRemoved() throws IOException {
        LogSpooler spooler = spooler(StorageProperties.Compression.gzip);

        assertThatThrownBy(() -> spooler.spool(LogStreams.text(10_000, 1), build, 9_999))
                .isInstanceOf(OsirisException.class)
                .satisfies(e -> assertThat(((OsirisException) e).kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE));
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void leftoversAreCompleteSpoolFilesOnlyAndTornOnesAreRemoved() throws IOException {
        LogSpooler writer = spooler(StorageProperties.Compression.gzip);
        SpooledLog complete = writer.spool(bytes("done\n"), build, 100);
        Files.writeString(spool.resolve("torn.log"), "partial");

        var leftovers = spooler(StorageProperties.Compression.gzip).leftovers();

        assertThat(leftovers).extracting(SpooledLog::id).containsExactly(complete.id());
        assertThat(leftovers.get(0).build()).isEqualTo(build);
        assertThat(spool.resolve("torn.log")).doesNotExist();
    }

    @Test
    void aLogBeingUploadedIsNotALeftover() {
        LogSpooler spooler = spooler(StorageProperties.Compression.gzip);
        SpooledLog inFlight = spooler.spool(bytes("uploading\n"), build, 100);

        assertThat(spooler.leftovers()).isEmpty();
        spooler.release(inFlight.id());
        assertThat(spooler.leftovers()).extracting(SpooledLog::id).containsExactly(inFlight.id());
    }

    @Test
    void aFullSpoolRefusesWith507AndKeepsNothingOfTheRefusedLog() throws IOException {
        LogSpooler spooler = spooler(StorageProperties.Compression.none, DataSize.ofBytes(10_000));
        SpooledLog first = spooler.spool(LogStreams.text(6_000, 1), build, Long.MAX_VALUE);

        // 6 000 bytes in the spool: the next 6 000 pass the quota while they are written
        assertThatThrownBy(() -> spooler.spool(LogStreams.text(6_000, 2), new BuildRef("local", "ns", "b2", null),
                Long.MAX_VALUE))
                .isInstanceOf(OsirisException.class)
                .satisfies(e -> assertThat(((OsirisException) e).kind()).isEqualTo(ErrorKind.SPOOL_FULL));
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(first.id() + ".log", first.id() + ".json");
        }

        // stored: its bytes go back to the quota
        spooler.delete(first);
        assertThat(spooler.spool(LogStreams.text(6_000, 2), build, Long.MAX_VALUE).log().size()).isEqualTo(6_000);
    }

    @Test
    void aSpoolLeftByAnEarlierRunCountsAgainstTheQuota() {
        spooler(StorageProperties.Compression.none).spool(LogStreams.text(8_000, 1), build, Long.MAX_VALUE);

        LogSpooler restarted = spooler(StorageProperties.Compression.none, DataSize.ofBytes(10_000));

        assertThatThrownBy(() -> restarted.spool(LogStreams.text(3_000, 1), build, Long.MAX_VALUE))
                .satisfies(e -> assertThat(((OsirisException) e).kind()).isEqualTo(ErrorKind.SPOOL_FULL));
    }

    @Test
    void leftoversComeInTheOrderTheLogsWereReceived() {
        LogSpooler writer = spooler(StorageProperties.Compression.gzip);
        java.util.List<String> received = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            received.add(writer.spool(bytes("log " + i + "\n"), new BuildRef("local", "ns", "b" + i, null), 100).id());
        }

        assertThat(spooler(StorageProperties.Compression.gzip).leftovers()).extracting(SpooledLog::id)
                .containsExactlyElementsOf(received);
    }

    @Test
    void aSpoolFileShorterThanItsSidecarSaysIsTornAndRemoved() throws IOException {
        SpooledLog spooled = spooler(StorageProperties.Compression.gzip)
                .spool(LogStreams.text(100_000, 3), build, Long.MAX_VALUE);
        try (var channel = java.nio.channels.FileChannel.open(spooled.file(),
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(spooled.log().storedSize() / 2);
        }
        Files.writeString(spool.resolve("half.json.tmp"), "{\"build\"");

        LogSpooler restarted = spooler(StorageProperties.Compression.gzip);

        assertThat(restarted.leftovers()).isEmpty();
        assertThat(restarted.pending(build)).isEmpty();
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theNewestLogOfABuildIsPendingUntilItIsStored() {
        LogSpooler spooler = spooler(StorageProperties.Compression.gzip);
        spooler.spool(bytes("first\n"), build, 100);
        SpooledLog second = spooler.spool(bytes("second\n"), build, 100);

        assertThat(spooler.pending(build)).hasValue(second);
        assertThat(spooler(StorageProperties.Compression.gzip).pending(build)).hasValueSatisfying(
                found -> assertThat(found.id()).isEqualTo(second.id()));
        spooler.delete(second);
        assertThat(spooler.pending(build)).isEmpty();
    }

    private LogSpooler spooler(StorageProperties.Compression compression) {
        return spooler(compression, DataSize.ofGigabytes(8));
    }

    private LogSpooler spooler(StorageProperties.Compression compression, DataSize maxSize) {
        StorageProperties storage = new StorageProperties(null, "us-east-1", "b", "", "k", "s", compression, 6,
                8388608, new StorageProperties.Embedded(spool.resolve("unused"), 0));
        try {
            return new LogSpooler(new SpoolProperties(spool, Duration.ofSeconds(30), maxSize), new BuildKeys("", compression),
                    storage, JsonMapper.builder().findAndAddModules().build(), new LiveLogs(),
                    new LogMetrics(new SimpleMeterRegistry()), new io.osiris.records.HomeCluster("local"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
