package io.osiris.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * OpenTelemetry for camel-opentelemetry2, which traces every route and endpoint. Traces leave through OTLP, set up
 * by the standard {@code OTEL_*} variables (or {@code otel.*} properties) with the SDK's own autoconfiguration;
 * without an OTLP endpoint tracing is off (a no-op tracer). Metrics and logs stay with Prometheus and the console
 * unless their OTEL_*_EXPORTER says otherwise.
 */
@Configuration(proxyBeanMethods = false)
public class TracingConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TracingConfiguration.class);
    private static final List<String> ENDPOINTS = List.of("otel.exporter.otlp.endpoint",
            "otel.exporter.otlp.traces.endpoint");

    /** Spring closes the SDK at shutdown (its close method), which exports the spans still in the batch. */
    @Bean
    OpenTelemetry openTelemetry(Environment environment) {
        boolean disabled = environment.getProperty("otel.sdk.disabled", Boolean.class, false);
        String endpoint = ENDPOINTS.stream().map(environment::getProperty).filter(e -> e != null && !e.isBlank())
                .findFirst().orElse(null);
        if (disabled || endpoint == null) {
            LOG.info("Tracing off: no OTEL_EXPORTER_OTLP_ENDPOINT set");
            return OpenTelemetry.noop();
        }
        Map<String, String> defaults = new HashMap<>();
        defaults.put("otel.service.name", environment.getProperty("spring.application.name", "osiris"));
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        // otel.* given as Spring properties (command line, application.yaml) count too; OTEL_* variables win
        for (String key : List.of("otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint",
                "otel.exporter.otlp.protocol", "otel.service.name", "otel.traces.sampler",
                "otel.traces.sampler.arg", "otel.bsp.schedule.delay", "otel.resource.attributes")) {
            String value = environment.getProperty(key);
            if (value != null && !value.isBlank()) {
                defaults.put(key, value);
            }
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .disableShutdownHook()
                .build().getOpenTelemetrySdk();
        LOG.info("Tracing to {} as service {}", endpoint, defaults.get("otel.service.name"));
        return sdk;
    }

    /** The tracer camel-opentelemetry2 looks up. */
    @Bean
    Tracer camelTracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("camel");
    }

    @Bean
    ContextPropagators contextPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }
}
