package io.osiris.buildlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.osiris.records.BuildRecord;
import io.osiris.records.LogInfo;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Whether logs are being stored, as Prometheus sees it ({@code /actuator/prometheus}): logs stored by cluster,
 * namespace and phase, bytes received and stored (the ratio is the compression), build end to durable latency, logs not stored,
 * failed upload attempts ({@link SpoolBacklogMetrics} adds the spool backlog). The Grafana dashboard in
 * {@code openshift/} charts these.
 */
@Component
public class LogMetrics {

    private final MeterRegistry registry;
    private final Counter bytesReceived;
    private final Counter bytesStored;
    private final Counter unchanged;
    private final Counter uploadFailures;
    private final Timer storeLatency;

    public LogMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesReceived = Counter.builder("osiris.log.received").baseUnit("bytes")
                .description("Log bytes received, before compression").register(registry);
        this.bytesStored = Counter.builder("osiris.log.stored").baseUnit("bytes")
                .description("Log bytes written to storage, after compression").register(registry);
        this.unchanged = Counter.builder("osiris.logs.unchanged")
                .description("Logs received again with the same bytes: nothing uploaded").register(registry);
        this.uploadFailures = Counter.builder("osiris.log.upload.failures")
                .description("Upload attempts that failed; the log stays in the spool and is retried")
                .register(registry);
        this.storeLatency = Timer.builder("osiris.log.store.latency")
                .description("From the build's completion to its log durable in storage")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        for (String reason : new String[] {"too_large", "unreadable", "capture_failed"}) {
            notStoredCounter(reason); // series from 0
        }
    }

    /** A log became durable and {@code record} now points at it. */
    public void stored(BuildRecord record, LogInfo log) {
        Counter.builder("osiris.logs.stored").description("Logs stored, by cluster, namespace and build phase")
                .tag("cluster", record.cluster())
                .tag("namespace", record.namespace())
                .tag("phase", record.phase() == null ? "Unknown" : record.phase().name())
                .register(registry).increment();
        bytesReceived.increment(log.size());
        bytesStored.increment(log.storedSize());
        Instant ended = record.completionTimestamp();
        if (ended != null && log.storedAt() != null && record.isFinished()) {
            Duration latency = Duration.between(ended, log.storedAt());
            // a client's clock ahead of ours would make it negative
            storeLatency.record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }

    /** The same bytes were stored already. */
    public void unchanged() {
        unchanged.increment();
    }

    /** An upload failed; the spool file is kept for the retry pass. */
    public void uploadFailed() {
        uploadFailures.increment();
    }

    /** A log that will not be stored: {@code reason} says why (too_large, unreadable, capture_failed). */
    public void notStored(String reason) {
        notStoredCounter(reason).increment();
    }

    private Counter notStoredCounter(String reason) {
        return Counter.builder("osiris.logs.not.stored").description("Logs given up on, by reason")
                .tag("reason", reason).register(registry);
    }
}
