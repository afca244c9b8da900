package io.osiris.buildlog;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.osiris.buildlog.LogMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.osiris.records.BuildRef;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.StorageProperties;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveLogsTest {

    @TempDir
    Path spool;

    private final BuildRef build = new BuildRef("ns", "live", null);

    @Test
    void aFollowerReadsTheLogWhileItIsSpooledAndReachesItsEnd() throws Exception {
        LiveLogs live = new LiveLogs();
        StorageProperties storage = new StorageProperties(null, "us-east-1", "b", "", "k", "s",
                StorageProperties.Compression.gzip, 6, 8388608, new StorageProperties.Embedded(spool, 0));
        LogSpooler spooler = new LogSpooler(new SpoolProperties(spool, Duration.ofSeconds(30), org.springframework.util.unit.DataSize.ofGigabytes(8)),
                new BuildKeys("", StorageProperties.Compression.gzip), storage,
                JsonMapper.builder().findAndAddModules().build(), live,
                new LogMetrics(new SimpleMeterRegistry()));
        ChunkPipe pipe = new ChunkPipe(1024 * 1024);
        CompletableFuture<SpooledLog> spooled = CompletableFuture.supplyAsync(
                () -> spooler.spool(pipe.input(), build, Long.MAX_VALUE));
        StringBuilder written = new StringBuilder("first\n");
        pipe.write("first\n".getBytes());

        InputStream follower = live.await(build, Duration.ofSeconds(10)).orElseThrow();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = follower.read(buffer)) != -1) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 100 && text(seen).isEmpty(); i++) {
            written.append("more ").append(i).append('\n');
            pipe.write(("more " + i + "\n").getBytes());
            Thread.sleep(20);
        }
        assertThat(text(seen)).startsWith("first\n");
        assertThat(reading).isNotDone();

        written.append("end\n");
        pipe.write("end\n".getBytes());
        pipe.close();
        spooled.get(10, TimeUnit.SECONDS);
        reading.get(10, TimeUnit.SECONDS);
        assertThat(text(seen)).isEqualTo(written.toString());
    }

    private static String text(ByteArrayOutputStream bytes) {
        synchronized (bytes) {
            return bytes.toString();
        }
    }
}
