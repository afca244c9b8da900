package io.osiris.buildlog;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.spool.*}: the local folder where each incoming log is written (compressed and hashed) before it is
 * uploaded. A log whose upload failed stays here and is uploaded again.
 *
 * @param directory     spool folder; must survive restarts (a volume in Kubernetes) so that no log is lost
 * @param retryInterval how often leftovers are uploaded again; they are also uploaded at start
 * @param maxSize       the most the spool may hold (compressed bytes, in flight and waiting); a log that would pass it
 *                      is refused with 507. Keep it below the volume's size so that the volume never fills
 */
@Validated
@ConfigurationProperties("osiris.spool")
public record SpoolProperties(@NotNull Path directory, @NotNull Duration retryInterval, @NotNull DataSize maxSize) {
}
