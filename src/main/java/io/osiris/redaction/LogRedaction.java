package io.osiris.redaction;

import io.osiris.records.BuildRef;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.stereotype.Component;

/**
 * Route step of {@code log-archive-store}: every log, from every door and the watcher, passes here before it is
 * spooled, and comes out with its secrets masked ({@link RedactedLog}), in the thread that reads it (a request's
 * body is read by its request's thread only), unless its namespace is exempt.
 */
@Component("logRedaction")
public class LogRedaction {

    private final RedactionProperties properties;
    private final SecretValues secrets;
    private final List<Detector> detectors;
    private final List<LineRedactor.Literal> configured;
    /** The hints of the rules and configured values: the same for every log without values from Secrets. */
    private final Hints configuredHints;

    public LogRedaction(RedactionProperties properties, SecretValues secrets) {
        this.properties = properties;
        this.secrets = secrets;
        properties.patterns().forEach((rule, regex) -> {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("osiris.redaction.patterns." + rule + " is not a valid regular "
                        + "expression: " + e.getDescription());
            }
        });
        this.detectors = LineRedactor.withCustom(properties.patterns());
        List<LineRedactor.Literal> values = new ArrayList<>();
        properties.values().forEach(v -> values.addAll(literals("configured-value", v, properties.minValueLength())));
        this.configured = List.copyOf(values);
        this.configuredHints = new Hints(detectors, configured);
    }

    /** For Camel Main: Kubernetes Secrets are read with the clients {@code clients} gives (none: not read). */
    public static LogRedaction of(RedactionProperties properties,
                                  org.springframework.beans.factory.ObjectProvider<
                                          io.fabric8.kubernetes.client.KubernetesClient> clients) {
        return new LogRedaction(properties, new SecretValues(clients, properties));
    }

    /** The log to spool for {@code build}: masked, or as it is when redaction is off for its namespace. */
    public InputStream redact(InputStream log, BuildRef build) {
        if (log == null || !properties.enabled() || properties.exemptNamespaces().contains(build.namespace())) {
            return log;
        }
        List<LineRedactor.Literal> fromSecrets = secrets.of(build.namespace());
        if (fromSecrets.isEmpty()) {
            return new RedactedLog(log, new LineRedactor(detectors, configured, configuredHints));
        }
        List<LineRedactor.Literal> literals = new ArrayList<>(configured);
        literals.addAll(fromSecrets);
        return new RedactedLog(log, new LineRedactor(detectors, literals));
    }

    /** The lines of a value long enough to mask (a multi-line value, a certificate say, is masked line by line). */
    static List<LineRedactor.Literal> literals(String rule, String value, int minLength) {
        return value.lines().map(String::strip).filter(line -> line.length() >= minLength)
                .map(line -> new LineRedactor.Literal(rule, line)).toList();
    }
}
