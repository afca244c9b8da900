package io.osiris.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per write, delete or refused call, on the logger {@code osiris.audit}, and a count of them
 * ({@code osiris_audit_events_total{verb,resource,outcome}}), so that an operator can answer "who deleted this".
 * Outcomes: {@code unauthenticated}, {@code denied} (refused before anything was done), {@code done} or
 * {@code failed} (an allowed write, after it ran), {@code allowed} (an allowed write whose end is not seen here:
 * a gRPC upload logs its start).
 */
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("osiris.audit");

    private final MeterRegistry meters;

    public AuditLog(MeterRegistry meters) {
        this.meters = meters;
    }

    public void record(String who, Access access, String outcome, String clientAddress, String detail) {
        LOG.info("audit who=\"{}\" verb={} resource={} namespace={} build={} outcome={} client={}{}",
                who.replace("\"", "'"), access.verb().value(), access.resource().value(),
                access.namespace() == null ? "*" : access.namespace(),
                access.name() == null ? "-" : access.name(), outcome,
                clientAddress == null ? "-" : clientAddress, detail == null ? "" : " detail=\"" + detail + "\"");
        Counter.builder("osiris_audit_events")
                .description("Writes, deletes and refused calls, by verb, resource and outcome")
                .tag("verb", access.verb().value()).tag("resource", access.resource().value()).tag("outcome", outcome)
                .register(meters).increment();
    }
}
