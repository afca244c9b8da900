package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.LogStreams;
import io.osiris.support.OsirisProcess;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service, started as its own process with a 256 MiB heap, takes a 300 MiB log over REST and gives it
 * back byte for byte: logs are streamed, never held in memory.
 */
abstract class LargeLogSmallHeapContract {

    private static final long LOG_BYTES = 300L * 1024 * 1024;

    @TempDir
    Path data;

    /** Extra settings: where the storage is. */
    protected abstract Map<String, String> storageEnvironment();

    @Test
    void threeHundredMebibyteLogRoundTripsUnderA256MebibyteHeap() throws Exception {
        try (OsirisProcess osiris = OsirisProcess.start(data, "256m", storageEnvironment())) {
            osiris.client.putJson("/api/v1/namespaces/huge/builds/b1", "{\"phase\":\"Complete\"}");

            long started = System.nanoTime();
            HttpResponse<String> put = osiris.client.putLog("/api/v1/namespaces/huge/builds/b1/log",
                    LogStreams.text(LOG_BYTES, 3));
            double putSeconds = (System.nanoTime() - started) / 1e9;

            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            started = System.nanoTime();
            HttpResponse<InputStream> get = osiris.client.getStream("/api/v1/namespaces/huge/builds/b1/log");
            String sha = LogStreams.sha256(get.body());
            double getSeconds = (System.nanoTime() - started) / 1e9;

            assertThat(sha).isEqualTo(LogStreams.sha256(LogStreams.text(LOG_BYTES, 3)));
            assertThat(osiris.isAlive()).as("Osiris ran out of memory").isTrue();
            System.out.printf("REST 300 MiB log, -Xmx256m: PUT %.1f s (%.0f MiB/s), GET %.1f s (%.0f MiB/s), "
                    + "peak RSS %s%n", putSeconds, 300 / putSeconds, getSeconds, 300 / getSeconds, osiris.peakRss());
        }
    }
}
