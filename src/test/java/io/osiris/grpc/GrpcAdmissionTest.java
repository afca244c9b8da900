package io.osiris.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.osiris.grpc.v1.BuildInfo;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutBuildRequest;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcCalls;
import io.osiris.support.GrpcClients;
import io.osiris.support.RunningOsiris;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** gRPC PutLog calls take the same upload slots as the HTTP doors: open calls that send slowly are bounded. */
class GrpcAdmissionTest extends RunningOsiris {

    private static final int GRPC_PORT = DevCertificates.freePort();

    private ManagedChannel channel;

    @DynamicPropertySource
    static void grpc(DynamicPropertyRegistry registry) {
        registry.add("osiris.grpc.enabled", () -> "true");
        registry.add("osiris.grpc.host", () -> "127.0.0.1");
        registry.add("osiris.grpc.port", () -> GRPC_PORT);
        registry.add("osiris.grpc.tls.cert-chain", () -> DevCertificates.TRUSTED.resolve("server.crt"));
        registry.add("osiris.grpc.tls.private-key", () -> DevCertificates.TRUSTED.resolve("server.key"));
        registry.add("osiris.grpc.tls.client-ca", () -> DevCertificates.TRUSTED.resolve("ca.crt"));
        registry.add("osiris.admission.max-uploads", () -> "2");
        registry.add("osiris.admission.max-uploads-per-client", () -> "2");
    }

    @BeforeEach
    void connect() {
        channel = GrpcClients.channel(GRPC_PORT, DevCertificates.TRUSTED, DevCertificates.TRUSTED);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void openPutLogCallsHoldUploadSlotsSharedWithHttp() throws Exception {
        OsirisGrpc.OsirisBlockingStub osiris = OsirisGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
        for (String name : new String[] {"b1", "b2", "b3"}) {
            osiris.putBuild(PutBuildRequest.newBuilder().setBuild(GrpcCalls.ref("grpc-slots", name))
                    .setInfo(BuildInfo.newBuilder().setPhase("Complete")).build());
        }
        GrpcCalls.Upload first = new GrpcCalls.Upload(channel, GrpcCalls.ref("grpc-slots", "b1")).send("one\n");
        GrpcCalls.Upload second = new GrpcCalls.Upload(channel, GrpcCalls.ref("grpc-slots", "b2")).send("two\n");
        Thread.sleep(500); // both calls have started their uploads

        GrpcCalls.Upload third = new GrpcCalls.Upload(channel, GrpcCalls.ref("grpc-slots", "b3")).send("three\n");
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> third.reply.get(30, TimeUnit.SECONDS));
        assertThat(Status.fromThrowable(refused.getCause()).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        HttpResponse<String> http = client.putLog("/api/v1/namespaces/grpc-slots/builds/b3/log", "over http\n");
        assertThat(http.statusCode()).isEqualTo(503);
        assertThat(http.headers().firstValue("Retry-After")).hasValue("5");

        assertThat(first.complete().getSize()).isEqualTo(4);
        assertThat(second.complete().getSize()).isEqualTo(4);
        assertThat(new GrpcCalls.Upload(channel, GrpcCalls.ref("grpc-slots", "b3")).send("three\n").complete()
                .getSize()).isEqualTo(6);
    }
}
