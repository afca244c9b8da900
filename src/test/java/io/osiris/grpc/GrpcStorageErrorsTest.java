package io.osiris.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.osiris.OsirisApplication;
import io.osiris.grpc.v1.BuildInfo;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutBuildRequest;
import io.osiris.support.Await;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.LogStreams;
import io.osiris.support.TestS3Server;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.services.s3.S3Client;
import io.osiris.grpc.v1.GetLogRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Limits and storage trouble reach a gRPC client as RESOURCE_EXHAUSTED and UNAVAILABLE. */
class GrpcStorageErrorsTest {

    @TempDir
    Path data;

    private TestS3Server s3;
    private ConfigurableApplicationContext osiris;
    private ManagedChannel channel;
    private final int port = DevCertificates.freePort();

    @BeforeEach
    void start() throws Exception {
        s3 = new TestS3Server(data.resolve("s3")).start();
        osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + data.resolve("spool"),
                "--osiris.api.max-log-size=1MB",
                "--osiris.records.retry-interval=500ms",
                "--osiris.grpc.enabled=true",
                "--osiris.grpc.host=127.0.0.1",
                "--osiris.grpc.port=" + port,
                "--osiris.grpc.tls.cert-chain=" + DevCertificates.TRUSTED.resolve("server.crt"),
                "--osiris.grpc.tls.private-key=" + DevCertificates.TRUSTED.resolve("server.key"),
                "--osiris.grpc.tls.client-ca=" + DevCertificates.TRUSTED.resolve("ca.crt"));
        channel = GrpcClients.channel(port, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        osiris.close();
        s3.close();
    }

    @Test
    void aLogOverTheLimitIsResourceExhausted() {
        OsirisGrpc.newBlockingStub(channel).putBuild(PutBuildRequest.newBuilder()
                .setBuild(GrpcCalls.ref("limits", "b1")).setInfo(BuildInfo.newBuilder().setPhase("Complete")).build());

        assertThatThrownBy(() -> GrpcCalls.putLog(channel, GrpcCalls.ref("limits", "b1"),
                LogStreams.text(5 * 1024 * 1024, 1)))
                .rootCause().isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
                .hasMessageContaining("limit of 1048576 bytes");
    }

    @Test
    void storageDownIsUnavailable() throws Exception {
        OsirisGrpc.newBlockingStub(channel).putBuild(PutBuildRequest.newBuilder()
                .setBuild(GrpcCalls.ref("down", "b1")).setInfo(BuildInfo.newBuilder().setPhase("Running")).build());
        GrpcCalls.putLog(channel, GrpcCalls.ref("down", "b1"), LogStreams.text(1000, 1));
        s3.stop();

        // the record lives in the database: it still takes updates, and its bucket copy follows later
        OsirisGrpc.newBlockingStub(channel).putBuild(PutBuildRequest.newBuilder()
                .setBuild(GrpcCalls.ref("down", "b1")).setInfo(BuildInfo.newBuilder().setPhase("Complete")).build());
        // the log bytes live in the bucket: reading them is UNAVAILABLE, never NOT_FOUND
        assertThatThrownBy(() -> OsirisGrpc.newBlockingStub(channel).getLog(GetLogRequest.newBuilder()
                .setBuild(GrpcCalls.ref("down", "b1")).build()).forEachRemaining(chunk -> { }))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                .hasMessageContaining("storage is unavailable");
        // the standard health service follows readiness: NOT_SERVING while the storage is away
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertThat(Await.value(Duration.ofSeconds(15), () -> health.check(HealthCheckRequest.newBuilder()
                .setService(OsirisGrpc.SERVICE_NAME).build()).getStatus() == ServingStatus.NOT_SERVING ? true : null))
                .isTrue();
        s3.start();
        assertThat(Await.value(Duration.ofSeconds(15), () -> health.check(HealthCheckRequest.getDefaultInstance())
                .getStatus() == ServingStatus.SERVING ? true : null)).isTrue();
        // the bucket's copy of the record caught up with the update made while storage was away
        S3Client bucket = osiris.getBean(S3Client.class);
        assertThat(Await.value(Duration.ofSeconds(20), () -> new String(bucket.getObjectAsBytes(
                r -> r.bucket("osiris-build-logs").key("builds/local/down/b1/_/build.json")).asByteArray(),
                java.nio.charset.StandardCharsets.UTF_8).contains("\"phase\":\"Complete\"") ? true : null)).isTrue();
    }
}
