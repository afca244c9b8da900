package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.Await;
import io.osiris.support.FaultLoad;
import io.osiris.support.OsirisClient;
import io.osiris.support.OsirisProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service (256 MiB heap) against a storage that the test kills and starts again, while the service
 * itself is SIGKILLed and restarted: nothing acknowledged is lost, and no client sees a 404 or an unexpected 5xx.
 */
abstract class StorageFaultsContract {

    @TempDir
    Path data;

    private OsirisProcess osiris;

    /** The storage stops answering (killed). */
    protected abstract void killStorage() throws Exception;

    /** The storage answers again (started); nothing if it runs. */
    protected abstract void startStorage() throws Exception;

    /** Where the storage is, for a bucket of this name. */
    protected abstract Map<String, String> storageEnvironment(String bucket);

    /** What the figures call the storage. */
    protected abstract String storageName();

    @AfterEach
    void cleanUp() throws Exception {
        startStorage(); // whatever happened, the next suite finds its storage
        if (osiris != null) {
            osiris.close();
        }
    }

    @Test
    void storageKilledForThirtySecondsAndOsirisKilledTwiceWhileFourClientsPushLosesNothing() throws Exception {
        osiris = OsirisProcess.start(data, "256m", environment("faults"), quickRetries());
        AtomicReference<OsirisProcess> current = new AtomicReference<>(osiris);
        long rgwBack;
        try (FaultLoad load = new FaultLoad(() -> current.get().client, "faults")) {
            load.start(4);
            Thread.sleep(5_000);

            killStorage();
            long rgwKilled = System.nanoTime();
            Thread.sleep(8_000);
            current.set(osiris = osiris.killAndRestart()); // storage still away: starts anyway
            Thread.sleep(8_000);
            current.set(osiris = osiris.killAndRestart());
            Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - (System.nanoTime() - rgwKilled) / 1_000_000));
            startStorage();
            rgwBack = System.nanoTime();
            Thread.sleep(8_000);
            load.close();

            double durableSeconds = awaitEmptySpool(Duration.ofSeconds(120), rgwBack);
            var lost = load.notDurable(osiris.client, Duration.ofSeconds(60));
            long pending = load.acknowledged().stream().filter(a -> a.status() == 202).count();
            System.out.printf("Faults (%s killed 30 s, Osiris SIGKILLed twice, 4 clients): %d logs acknowledged "
                            + "(%d of them 202 pending), %d lost, answers %s, spool empty %.1f s after the storage came "
                            + "back, peak RSS of the last process %s%n", storageName(), load.acknowledged().size(), pending,
                    lost.size(), load.answers(), durableSeconds, osiris.peakRss());

            assertThat(load.violations()).isEmpty();
            assertThat(lost).isEmpty();
            assertThat(load.acknowledged()).hasSizeGreaterThan(20);
            assertThat(pending).as("logs acknowledged while the storage was away").isPositive();
        }
    }

    @Test
    void startedWhileTheStorageIsDownItTakesLogsAndBecomesReadyWhenItComesBack() throws Exception {
        killStorage();
        osiris = OsirisProcess.startLive(data, "256m", environment("late"), quickRetries());
        OsirisClient client = osiris.client;

        HttpResponse<String> readiness = client.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(client.putJson("/api/v1/namespaces/late/builds/b1", "{\"phase\":\"Complete\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> log = client.putLog("/api/v1/namespaces/late/builds/b1/log", "journal first\n");
        assertThat(log.statusCode()).as(log.body()).isEqualTo(202);
        assertThat(client.get("/api/v1/namespaces/late/builds/b1/log").body()).isEqualTo("journal first\n");

        startStorage();
        osiris.awaitReady();
        HttpResponse<String> stored = Await.value(Duration.ofSeconds(60), () -> {
            HttpResponse<String> r = client.get("/api/v1/namespaces/late/builds/b1/log");
            return r.headers().firstValue("X-Osiris-Log-Pending").isEmpty() ? r : null;
        });
        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(stored.body()).isEqualTo("journal first\n");
        awaitEmptySpool(Duration.ofSeconds(30), System.nanoTime());
    }

    private Map<String, String> environment(String bucket) {
        return storageEnvironment("osiris-faults-" + bucket + "-" + System.currentTimeMillis());
    }

    private static String[] quickRetries() {
        return new String[] {"--osiris.spool.retry-interval=2s", "--osiris.records.retry-interval=2s"};
    }

    /** Seconds from {@code since} until the spool holds no log. */
    private double awaitEmptySpool(Duration timeout, long since) throws Exception {
        Path spool = data.resolve("spool");
        Await.value(timeout, () -> {
            try (Stream<Path> files = Files.list(spool)) {
                return files.noneMatch(f -> f.toString().endsWith(".log")) ? Boolean.TRUE : null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        return (System.nanoTime() - since) / 1e9;
    }
}
