package io.osiris.redaction;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.redaction.*}: secrets masked in every log as it arrives, before it is spooled or stored.
 *
 * @param enabled            mask at all (the built-in rules always apply when on)
 * @param exemptNamespaces   namespaces whose logs are stored as they come (opt-out)
 * @param patterns           more rules: name to Java regular expression; group 1 is masked if the pattern has one,
 *                           else the whole match
 * @param values             literal values masked wherever they appear (rule {@code configured-value})
 * @param kubernetesSecrets  names of Secrets whose values are masked in the logs of the Secret's namespace (read
 *                           with Osiris' service account when it may; rule {@code secret/NAME})
 * @param secretsRefresh     how long the values read from Secrets are used before they are read again
 * @param minValueLength     literal values (or lines of multi-line values) shorter than this are not masked: a
 *                           value such as {@code true} or {@code 1} would mask half the log
 */
@Validated
@ConfigurationProperties("osiris.redaction")
public record RedactionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> exemptNamespaces,
        @DefaultValue @Size(max = 40) Map<String, String> patterns,
        @DefaultValue List<String> values,
        @DefaultValue List<String> kubernetesSecrets,
        @NotNull @DefaultValue("1m") Duration secretsRefresh,
        @DefaultValue("6") int minValueLength) {
}
