package io.osiris.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.osiris.support.ClusterMock;
import io.osiris.support.LogStreams;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A log response of the (mock) Kubernetes API read through {@link LogResponse}, over a real socket. */
class LogResponseTest {

    private static ClusterMock cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = new ClusterMock().start();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    private static String url(String path) {
        String master = client.getMasterUrl().toString();
        return (master.endsWith("/") ? master : master + "/") + path;
    }

    @Test
    void aLargeLogArrivesWholeAndInOrderWhateverTheReadSizes() throws Exception {
        byte[] log = LogStreams.buildLog(24L * 1024 * 1024, 3).readAllBytes();
        cluster.buildLog("ci", "big", log);
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        try (InputStream in = LogResponse.open(client.getHttpClient(),
                url("apis/build.openshift.io/v1/namespaces/ci/builds/big/log"), 10_000)) {
            byte[] buffer = new byte[100_003];
            int size = 1;
            for (int n = in.read(buffer, 0, size); n >= 0; n = in.read(buffer, 0, size)) {
                read.update(buffer, 0, n);
                bytes += n;
                size = size * 7 % buffer.length + 1; // reads of 1 byte to 100 KB
            }
        }
        assertThat(bytes).isEqualTo(log.length);
        assertThat(HexFormat.of().formatHex(read.digest()))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(log)));
    }

    @Test
    void aMissingLogIsTheClientsNotFoundWithItsCode() {
        assertThatThrownBy(() -> LogResponse.open(client.getHttpClient(),
                url("apis/build.openshift.io/v1/namespaces/ci/builds/nowhere/log"), 10_000))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void closingBeforeTheEndStopsTheResponse() throws Exception {
        cluster.buildLog("ci", "closed", LogStreams.buildLog(16L * 1024 * 1024, 4).readAllBytes());
        InputStream in = LogResponse.open(client.getHttpClient(),
                url("apis/build.openshift.io/v1/namespaces/ci/builds/closed/log"), 10_000);
        assertThat(in.read(new byte[1000])).isPositive();
        in.close();
        assertThatThrownBy(() -> in.read(new byte[10])).hasMessageContaining("closed");
    }
}
