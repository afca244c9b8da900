package io.osiris.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Certificates made by scripts/dev-certs.sh (the README's recipe), once per test run. */
public final class DevCertificates {

    /** The CA, server and client certificates Osiris is configured with. */
    public static final Path TRUSTED = make("trusted");
    /** Another CA and its client certificate, which Osiris must refuse. */
    public static final Path STRANGER = make("stranger");

    private DevCertificates() {
    }

    private static Path make(String name) {
        try {
            Path dir = Files.createTempDirectory("osiris-certs-" + name);
            Process process = new ProcessBuilder("bash", "scripts/dev-certs.sh", dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("scripts/dev-certs.sh failed: " + output);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The settings of a TLS gRPC server on 127.0.0.1 with the trusted certificates; with {@code mutualTls} it also
     * requires client certificates of the trusted CA.
     */
    public static java.util.List<String> grpcServer(int port, boolean mutualTls) {
        return java.util.List.of(
                "--osiris.grpc.enabled=true",
                "--osiris.grpc.host=127.0.0.1",
                "--osiris.grpc.port=" + port,
                "--osiris.grpc.tls.cert-chain=" + TRUSTED.resolve("server.crt"),
                "--osiris.grpc.tls.private-key=" + TRUSTED.resolve("server.key"),
                "--osiris.grpc.tls.client-ca=" + (mutualTls ? TRUSTED.resolve("ca.crt") : ""));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
