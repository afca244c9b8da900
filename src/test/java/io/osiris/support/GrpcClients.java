package io.osiris.support;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Real grpc-java channels to Osiris over TLS, with or without a client certificate. */
public final class GrpcClients {

    private GrpcClients() {
    }

    /** Trusts the server's CA and presents the client certificate found in {@code clientCerts}, if any. */
    public static ManagedChannel channel(int port, Path serverCa, Path clientCerts) {
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(serverCa.resolve("ca.crt").toFile());
            if (clientCerts != null) {
                ssl.keyManager(clientCerts.resolve("client.crt").toFile(), clientCerts.resolve("client.key").toFile());
            }
            return NettyChannelBuilder.forAddress("localhost", port).sslContext(ssl.build())
                    .maxInboundMessageSize(8 * 1024 * 1024).build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }
}
