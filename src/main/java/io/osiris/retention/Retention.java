package io.osiris.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildQuery;
import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRecords;
import io.osiris.records.BuildRef;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The retention policies at work (routes {@code retention-apply} on the leader replica, and the API's dry run):
 * reads every record once, in pages, decides with {@link RetentionPlan} and deletes each doomed build's log,
 * record and bucket copy together, unless a legal hold was placed meanwhile.
 */
@Component("retention")
public class Retention {

    static final int MAX_LISTED = 10_000;
    private static final int PAGE = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    private final BuildRecords records;
    private final RetentionProperties properties;
    private final MeterRegistry meters;
    private final AtomicLong lastRun = new AtomicLong();
    private final Clock clock = Clock.systemUTC();

    public Retention(BuildRecords records, RetentionProperties properties, MeterRegistry meters) {
        this.records = records;
        this.properties = properties;
        this.meters = meters;
        meters.gauge("osiris_retention_last_run_seconds", lastRun, AtomicLong::doubleValue);
    }

    /** What a pass would delete now; {@code limit} builds listed (the totals count all). */
    public RetentionReport dryRun(Integer limit) {
        int listed = limit == null ? 1000 : limit;
        if (listed < 0 || listed > MAX_LISTED) {
            throw OsirisException.badRequest("limit", "limit must be between 0 and " + MAX_LISTED);
        }
        Totals totals = new Totals(listed);
        RetentionPlan plan = plan(totals::add);
        return totals.report(true, plan);
    }

    /** Deletes what the policies say, build by build as they are decided; the report says what was deleted. */
    public RetentionReport apply() {
        Totals totals = new Totals(MAX_LISTED);
        if (properties.policies().isEmpty() && properties.bucketExpiry() == null) {
            return totals.report(false, new RetentionPlan(properties, clock.instant()));
        }
        RetentionPlan plan;
        try {
            plan = plan(doomed -> records.deleteUnlessHeld(
                    new BuildRef(doomed.cluster(), doomed.namespace(), doomed.name(), doomed.uid())).ifPresent(record -> {
                        totals.add(doomed);
                        Counter.builder("osiris_retention_deleted_builds").tag("policy", doomed.policy())
                                .description("Builds (logs and records) deleted by retention").register(meters)
                                .increment();
                        Counter.builder("osiris_retention_freed_bytes").tag("policy", doomed.policy())
                                .description("Bytes of logs in storage deleted by retention").register(meters)
                                .increment(doomed.bytes());
                    }));
        } catch (OsirisException e) {
            // storage or the database went away: what is left is deleted by the next pass
            LOG.warn("Retention stopped after {} builds: {}", totals.count, e.getMessage());
            throw e;
        }
        lastRun.set(clock.instant().getEpochSecond());
        RetentionReport report = totals.report(false, plan);
        if (report.total() > 0) {
            LOG.info("Retention deleted {} builds ({} bytes in storage); kept {} on legal hold", report.total(),
                    report.bytes(), report.keptByHold());
        }
        return report;
    }

    /** Two passes over every record, in pages: the plan learns, then decides; each doomed build goes to {@code doomed}. */
    private RetentionPlan plan(java.util.function.Consumer<RetentionReport.Entry> doomed) {
        RetentionPlan plan = new RetentionPlan(properties, clock.instant());
        each(plan::learn);
        each(record -> {
            RetentionReport.Entry entry = plan.decide(record);
            if (entry != null) {
                doomed.accept(entry);
            }
        });
        return plan;
    }

    private void each(java.util.function.Consumer<BuildRecord> step) {
        String token = null;
        do {
            BuildQuery.Page page = records.list(new BuildQuery(null, null, null, null, null, null, PAGE, token));
            page.items().forEach(step);
            token = page.continueToken();
        } while (token != null);
    }

    /** Totals by policy, and the first builds listed. */
    private final class Totals {
        private final int listed;
        private final List<RetentionReport.Entry> builds = new ArrayList<>();
        private final Map<String, long[]> byPolicy = new LinkedHashMap<>();
        private long count;
        private long bytes;

        Totals(int listed) {
            this.listed = listed;
        }

        void add(RetentionReport.Entry build) {
            long[] totals = byPolicy.computeIfAbsent(build.policy(), p -> new long[2]);
            totals[0]++;
            totals[1] += build.bytes();
            count++;
            bytes += build.bytes();
            if (builds.size() < listed) {
                builds.add(build);
            }
        }

        RetentionReport report(boolean dryRun, RetentionPlan plan) {
            List<RetentionReport.PolicyTotal> policies = byPolicy.entrySet().stream()
                    .map(e -> new RetentionReport.PolicyTotal(e.getKey(), e.getValue()[0], e.getValue()[1])).toList();
            return new RetentionReport(dryRun, clock.instant(), count, bytes, policies, plan.keptByHold(),
                    plan.keptAsLast(), builds, builds.size() < count ? Boolean.TRUE : null);
        }
    }

    /** A record's legal hold, placed ({@code reason} given) or released. */
    public BuildRecord hold(BuildRef ref, String reason, String by) {
        return records.hold(ref, reason == null ? null
                : new BuildRecord.LegalHold(reason, clock.instant(), by));
    }
}
