package io.osiris.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.osiris.OsirisApplication;
import io.osiris.grpc.v1.InfoRequest;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.support.DevCertificates;
import io.osiris.support.GrpcClients;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * TLS without client certificates, as the OpenShift template configures gRPC by default: the client CA variable is
 * set but empty.
 */
class GrpcServerTlsTest {

    @TempDir
    Path data;

    @Test
    void anEmptyClientCaMeansTlsWithoutClientCertificates() {
        int port = DevCertificates.freePort();
        try (ConfigurableApplicationContext osiris = new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0",
                "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                "--osiris.spool.directory=" + data.resolve("spool"),
                "--osiris.grpc.enabled=true",
                "--osiris.grpc.host=127.0.0.1",
                "--osiris.grpc.port=" + port,
                "--osiris.grpc.tls.cert-chain=" + DevCertificates.TRUSTED.resolve("server.crt"),
                "--osiris.grpc.tls.private-key=" + DevCertificates.TRUSTED.resolve("server.key"),
                "--osiris.grpc.tls.client-ca=")) {
            ManagedChannel channel = GrpcClients.channel(port, DevCertificates.TRUSTED, null);
            try {
                assertThat(OsirisGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance()).getVersion())
                        .isNotEmpty();
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
