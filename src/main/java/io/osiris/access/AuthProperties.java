package io.osiris.access;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.auth.*}: who may call Osiris.
 *
 * @param mode           {@code kubernetes} (TokenReview + SubjectAccessReview), {@code tokens} (the tokens file),
 *                       both (comma-separated: Kubernetes is asked first), or {@code none} (development only)
 * @param allowAnonymous lets {@code none} listen on a non-loopback address; without it such a start is refused
 * @param tokensFile     the tokens file (mode {@code tokens}); re-read when its content changes
 * @param tokensReload   how often the tokens file is looked at for changes, at most
 * @param cache          how long decisions of the Kubernetes API are kept
 */
@Validated
@ConfigurationProperties("osiris.auth")
public record AuthProperties(
        @NotEmpty Set<AuthMode> mode,
        boolean allowAnonymous,
        Path tokensFile,
        @NotNull Duration tokensReload,
        @NotNull Cache cache) {

    /**
     * @param allowed    how long a granted token or permission is believed
     * @param denied     how long a refused token or permission is believed
     * @param maxEntries decisions kept at most (each cache)
     */
    public record Cache(@NotNull Duration allowed, @NotNull Duration denied, @Min(1) int maxEntries) {
    }

    public boolean enabled() {
        return !mode.contains(AuthMode.NONE);
    }

    public boolean kubernetes() {
        return mode.contains(AuthMode.KUBERNETES);
    }

    public boolean tokens() {
        return mode.contains(AuthMode.TOKENS);
    }
}
