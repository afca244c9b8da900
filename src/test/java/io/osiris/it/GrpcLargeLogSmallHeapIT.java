package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.osiris.grpc.v1.BuildInfo;
import io.osiris.grpc.v1.GetLogRequest;
import io.osiris.grpc.v1.LogInfo;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutBuildRequest;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.LogStreams;
import io.osiris.support.OsirisProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A 1 GiB log through PutLog and back through GetLog, over mutual TLS, into a service with a 256 MiB heap. */
class GrpcLargeLogSmallHeapIT {

    private static final long LOG_BYTES = 1024L * 1024 * 1024;

    @TempDir
    Path data;

    @Test
    void oneGibibyteLogStreamsThroughGrpcUnderA256MebibyteHeap() throws Exception {
        int grpcPort = DevCertificates.freePort();
        try (OsirisProcess osiris = OsirisProcess.start(data, "256m", Map.of("OSIRIS_S3_ENDPOINT", ""),
                "--osiris.grpc.enabled=true", "--osiris.grpc.host=127.0.0.1", "--osiris.grpc.port=" + grpcPort,
                "--osiris.grpc.tls.cert-chain=" + DevCertificates.TRUSTED.resolve("server.crt"),
                "--osiris.grpc.tls.private-key=" + DevCertificates.TRUSTED.resolve("server.key"),
                "--osiris.grpc.tls.client-ca=" + DevCertificates.TRUSTED.resolve("ca.crt"))) {
            ManagedChannel channel = GrpcClients.channel(grpcPort, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
            try {
                OsirisGrpc.newBlockingStub(channel).putBuild(PutBuildRequest.newBuilder()
                        .setBuild(GrpcCalls.ref("huge", "g1")).setInfo(BuildInfo.newBuilder().setPhase("Complete"))
                        .build());

                long started = System.nanoTime();
                LogInfo stored = GrpcCalls.putLog(channel, GrpcCalls.ref("huge", "g1"), LogStreams.text(LOG_BYTES, 9));
                double putSeconds = (System.nanoTime() - started) / 1e9;
                started = System.nanoTime();
                GrpcCalls.Collector got = new GrpcCalls.Collector(false);
                OsirisGrpc.newStub(channel).getLog(GetLogRequest.newBuilder().setBuild(GrpcCalls.ref("huge", "g1"))
                        .build(), got);
                String sha = got.sha256();
                double getSeconds = (System.nanoTime() - started) / 1e9;

                String expected = LogStreams.sha256(LogStreams.text(LOG_BYTES, 9));
                assertThat(stored.getSha256()).isEqualTo(expected);
                assertThat(sha).isEqualTo(expected);
                assertThat(osiris.isAlive()).as("Osiris ran out of memory").isTrue();
                System.out.printf("gRPC 1 GiB log, -Xmx256m: PutLog %.1f s (%.0f MiB/s), GetLog %.1f s (%.0f MiB/s), "
                        + "peak RSS %s%n", putSeconds, 1024 / putSeconds, getSeconds, 1024 / getSeconds,
                        osiris.peakRss());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
