package io.osiris.grpc;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.grpc.*}: the gRPC door. TLS from mounted files (a Kubernetes secret); mutual TLS when a client CA is
 * given; plain text only when explicitly enabled, for development.
 *
 * @param enabled   serve gRPC at all
 * @param host      address to listen on
 * @param port      port to listen on
 * @param plaintext serve without TLS (development only)
 * @param tls       certificate and key of the server, and the CA of accepted client certificates
 * @param followWait how long FollowLog waits for the log of a build without one to start being written
 */
@Validated
@ConfigurationProperties("osiris.grpc")
public record GrpcProperties(
        boolean enabled,
        @NotBlank String host,
        @Min(1) @Max(65535) int port,
        boolean plaintext,
        @Valid @DefaultValue Tls tls,
        @DefaultValue("60s") Duration followWait) {

    /**
     * @param certChain  PEM certificate chain of the server
     * @param privateKey PEM private key of the server (PKCS#8)
     * @param clientCa   PEM CA certificates; when set, clients must present a certificate it signed
     */
    public record Tls(Path certChain, Path privateKey, Path clientCa) {
    }

    public GrpcProperties {
        if (enabled && !plaintext && (tls == null || tls.certChain() == null || tls.privateKey() == null)) {
            throw new IllegalArgumentException("osiris.grpc.enabled needs osiris.grpc.tls.cert-chain and "
                    + "osiris.grpc.tls.private-key (or osiris.grpc.plaintext=true for development)");
        }
    }

    public boolean mutualTls() {
        return !plaintext && tls.clientCa() != null;
    }
}
