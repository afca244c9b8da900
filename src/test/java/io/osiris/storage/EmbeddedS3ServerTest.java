package io.osiris.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The embedded S3 server starts beside the rest of the start: its address first, its answers once started. */
class EmbeddedS3ServerTest {

    @TempDir
    Path data;

    @Test
    void isKnownAtOnceAndAnswersOnceStartedKeepingObjectsOnDisk() throws Exception {
        StorageProperties properties = properties(0);
        EmbeddedS3Server server = new EmbeddedS3Server(properties);
        assertThat(server.endpoint().getPort()).isPositive();
        server.awaitStarted();
        assertThat(server.startFailure()).isEmpty();
        try (S3Client s3 = S3Configuration.client(properties, server.endpoint(), new SimpleMeterRegistry())) {
            s3.createBucket(b -> b.bucket("logs"));
            s3.putObject(b -> b.bucket("logs").key("ns/build/log"),
                    RequestBody.fromBytes("step 1\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("logs").key("ns/build/log")).asString(StandardCharsets.UTF_8))
                    .isEqualTo("step 1\n");
        } finally {
            server.destroy();
        }
        assertThat(data.resolve("s3/logs")).isDirectory();
        try (ServerSocket again = new ServerSocket(server.endpoint().getPort(), 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.isBound()).as("the stopped server let go of its port").isTrue();
        }
    }

    @Test
    void saysWhyItDidNotStartWhenItsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedS3Server server = new EmbeddedS3Server(properties(taken.getLocalPort()));
            assertThatThrownBy(server::awaitStarted).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("embedded S3 server did not start");
            assertThat(server.startFailure()).hasValueSatisfying(reason -> assertThat(reason)
                    .startsWith("embedded S3 server did not start").contains(String.valueOf(taken.getLocalPort())));
            server.destroy();
        }
    }

    private StorageProperties properties(int port) throws IOException {
        return new StorageProperties(null, "us-east-1", "logs", "", "osiris", "osiris-secret",
                StorageProperties.Compression.gzip, 6, 8388608,
                new StorageProperties.Embedded(data.resolve("s3"), port));
    }
}
