package io.osiris.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osiris.OsirisApplication;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Mode none is for development: it may listen on loopback only, unless anonymous access is said to be meant. */
class AnonymousModeTest {

    @TempDir
    Path data;

    @Test
    void theServiceRefusesToStartAnonymousOnAllInterfaces() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(OsirisApplication.class).run(
                "--server.port=0", "--server.address=0.0.0.0",
                "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                "--osiris.spool.directory=" + data.resolve("spool")).close())
                .hasStackTraceContaining("osiris.auth.mode=none lets anyone read, write and delete every log")
                .hasStackTraceContaining("HTTP on 0.0.0.0 (server.address)");
    }

    @Test
    void everyListeningAddressCounts() {
        AuthProperties none = properties(false);
        assertThatCode(() -> AccessConfiguration.refuseAnonymousOnTheNetwork(none,
                Map.of("server.address", "127.0.0.1")::get)).doesNotThrowAnyException();
        assertThatCode(() -> AccessConfiguration.refuseAnonymousOnTheNetwork(none,
                Map.of("server.address", "::1")::get)).doesNotThrowAnyException();
        assertThatThrownBy(() -> AccessConfiguration.refuseAnonymousOnTheNetwork(none, Map.<String, String>of()::get))
                .hasMessageContaining("HTTP on all interfaces");
        assertThatThrownBy(() -> AccessConfiguration.refuseAnonymousOnTheNetwork(none, Map.of(
                "server.address", "127.0.0.1", "osiris.grpc.enabled", "true", "osiris.grpc.host", "0.0.0.0")::get))
                .hasMessageContaining("gRPC on 0.0.0.0").hasMessageNotContaining("HTTP on");
        assertThatThrownBy(() -> AccessConfiguration.refuseAnonymousOnTheNetwork(none, Map.of(
                "server.address", "127.0.0.1", "management.server.port", "9000",
                "management.server.address", "0.0.0.0")::get))
                .hasMessageContaining("management port 9000");
        assertThatCode(() -> AccessConfiguration.refuseAnonymousOnTheNetwork(properties(true),
                Map.of("server.address", "0.0.0.0")::get)).doesNotThrowAnyException();
    }

    private static AuthProperties properties(boolean allowAnonymous) {
        return new AuthProperties(java.util.Set.of(AuthMode.NONE), allowAnonymous, null,
                java.time.Duration.ofSeconds(5),
                new AuthProperties.Cache(java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(5), 100));
    }

    @Test
    void theDefaultRunIsAnonymousOnLoopback() {
        var context = new SpringApplicationBuilder(OsirisApplication.class).run("--server.port=0",
                "--osiris.storage.embedded.directory=" + data.resolve("s3"),
                "--osiris.spool.directory=" + data.resolve("spool"));
        try {
            assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
            assertThat(context.getBean(AccessControl.class).enabled()).isFalse();
        } finally {
            context.close();
        }
    }
}
