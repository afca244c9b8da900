package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.LogStreams;
import io.osiris.support.OsirisClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service, started as its own process with a 256 MiB heap, takes a 300 MiB log and gives it back
 * byte for byte: logs are streamed, never held in memory. An OutOfMemoryError ends the process and fails the test.
 */
abstract class LargeLogSmallHeapContract {

    private static final long LOG_BYTES = 300L * 1024 * 1024;

    @TempDir
    Path data;

    private Process osiris;

    /** Extra settings: where the storage is. */
    protected abstract Map<String, String> storageEnvironment();

    @Test
    void threeHundredMebibyteLogRoundTripsUnderA256MebibyteHeap() throws Exception {
        int port = freePort();
        OsirisClient client = start(port);
        client.putJson("/api/v1/namespaces/huge/builds/b1", "{\"phase\":\"Complete\"}");

        long started = System.nanoTime();
        HttpResponse<String> put = client.putLog("/api/v1/namespaces/huge/builds/b1/log",
                LogStreams.text(LOG_BYTES, 3));
        double putSeconds = (System.nanoTime() - started) / 1e9;

        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        started = System.nanoTime();
        HttpResponse<InputStream> get = client.getStream("/api/v1/namespaces/huge/builds/b1/log");
        String sha = LogStreams.sha256(get.body());
        double getSeconds = (System.nanoTime() - started) / 1e9;

        assertThat(sha).isEqualTo(LogStreams.sha256(LogStreams.text(LOG_BYTES, 3)));
        assertThat(osiris.isAlive()).as("Osiris ran out of memory").isTrue();
        System.out.printf("300 MiB log with -Xmx256m: PUT %.1f s (%.0f MiB/s), GET %.1f s (%.0f MiB/s), peak RSS %s%n",
                putSeconds, 300 / putSeconds, getSeconds, 300 / getSeconds, peakRss());
    }

    private OsirisClient start(int port) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError",
                "-jar", System.getProperty("osiris.jar", "target/osiris-0.1.0-SNAPSHOT.jar"),
                "--server.port=" + port));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("osiris.log").toFile());
        builder.environment().put("OSIRIS_DATA_DIR", data.toString());
        builder.environment().put("OSIRIS_SPOOL_DIR", data.resolve("spool").toString());
        builder.environment().putAll(storageEnvironment());
        osiris = builder.start();
        OsirisClient client = new OsirisClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && osiris.isAlive()) {
            try {
                if (client.get("/actuator/health/readiness").statusCode() == 200) {
                    return client;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Osiris did not become ready:\n" + Files.readString(data.resolve("osiris.log")));
    }

    private String peakRss() throws IOException {
        Path status = Path.of("/proc", Long.toString(osiris.pid()), "status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM")).findFirst()
                .map(l -> l.replace("VmHWM:", "").trim()).orElse("n/a");
    }

    @AfterEach
    void stop() throws Exception {
        if (osiris != null) {
            osiris.destroy();
            osiris.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
