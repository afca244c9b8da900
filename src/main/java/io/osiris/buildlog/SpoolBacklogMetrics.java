package io.osiris.buildlog;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** The spool backlog: logs received but not yet durable (upload failing or in progress), counted as they come and go. */
@Component
public class SpoolBacklogMetrics implements MeterBinder {

    private final LogSpooler spooler;

    public SpoolBacklogMetrics(LogSpooler spooler) {
        this.spooler = spooler;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("osiris.spool.backlog.files", spooler, s -> s.backlog().files())
                .description("Spooled logs waiting for their upload").register(registry);
        Gauge.builder("osiris.spool.backlog", spooler, s -> s.backlog().bytes()).baseUnit("bytes")
                .description("Bytes of spooled logs waiting for their upload").register(registry);
    }
}
