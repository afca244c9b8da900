package io.osiris.cluster;

import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRef;
import io.osiris.records.LogInfo;
import io.osiris.error.OsirisException;
import io.osiris.buildlog.LogMetrics;
import io.osiris.observability.TraceHandoff;
import io.osiris.records.BuildRecords;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Decides, for each build event, whether to capture a log and captures it through the storage route
 * ({@code direct:log-archive-store}): a running build is followed from its start, so rotation and pruning lose
 * nothing; an ended build whose log is not stored for its uid is fetched. A follow that broke off before the build
 * ended is fetched again when it ends and marked incomplete. One capture per build at a time.
 */
@Component("logCaptures")
public class LogCaptures implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(LogCaptures.class);

    private final Clusters clusters;
    private final BuildRecords records;
    private final ProducerTemplate routes;
    private final ClusterProperties properties;
    private final LogMetrics metrics;
    private final Set<BuildRef> capturing = ConcurrentHashMap.newKeySet();
    private final Set<BuildRef> brokenFollows = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "osiris-log-capture");
        t.setDaemon(true);
        return t;
    });
    /** A failed fetch is tried again after these delays (a dropped connection is usually fixed by the first), before the reconciliation would find it. */
    private static final long[] RETRY_MILLIS = {250, 1000, 5000, 30000};
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osiris-log-capture-retry");
        t.setDaemon(true);
        return t;
    });

    public LogCaptures(Clusters clusters, BuildRecords records, ProducerTemplate routes,
                       ClusterProperties properties, LogMetrics metrics) {
        this.clusters = clusters;
        this.records = records;
        this.routes = routes;
        this.properties = properties;
        this.metrics = metrics;
    }

    /** After a build's info is recorded ({@code record}, as just written): follow it, fetch it, or nothing. */
    public void afterEvent(ClusterBuild build, BuildRecord record, Exchange event) {
        BuildRef ref = build.ref();
        if (capturing.contains(ref)) {
            return;
        }
        boolean stored = record.hasLog();
        Map<String, Object> trace = TraceHandoff.of(event);
        if (build.isRunning() && properties.followLogs() && !stored) {
            start(build, true, 0, trace);
        } else if (build.isEnded() && (!stored || brokenFollows.contains(ref))) {
            start(build, false, 0, trace);
        }
    }

    /** The ended builds whose log is not stored, for the reconciliation. */
    public List<ClusterBuild> missing(List<ClusterBuild> ended) {
        return ended.stream().filter(b -> !capturing.contains(b.ref()) && !stored(b.ref())).toList();
    }

    /**
     * Records a build from the cluster and stores its log now, in the caller's thread (legacy mode=cluster, v1
     * fetchBuildLog).
     */
    public LogInfo fetchNow(BuildRef ref, Exchange request) {
        if (clusters.get(ref.cluster()).isEmpty()) {
            throw OsirisException.badRequest("mode", "cluster '" + ref.cluster() + "' is not watched (enable "
                    + "osiris.cluster.enabled for the home cluster, or register it)");
        }
        ClusterBuild build = clusters.find(ref);
        Exchange recorded = routes.send("direct:build-info-store", e -> {
            e.setProperty("buildRef", build.ref());
            e.getMessage().setBody(build.info());
        });
        if (recorded.getException() != null) {
            throw recorded.getException() instanceof RuntimeException re ? re
                    : new IllegalStateException(recorded.getException());
        }
        return capture(build, false, false, TraceHandoff.of(request)).getMessage().getBody(LogInfo.class);
    }

    private void start(ClusterBuild build, boolean follow, int attempt, Map<String, Object> trace) {
        if (!capturing.add(build.ref())) {
            return;
        }
        workers.execute(() -> {
            try {
                boolean incomplete = !follow && brokenFollows.remove(build.ref());
                Exchange result = capture(build, follow, incomplete, trace);
                FollowedLog followed = result.getProperty(ClusterBuilds.FOLLOWED_LOG, FollowedLog.class);
                if (followed != null && !Boolean.TRUE.equals(followed.complete())) {
                    brokenFollows.add(build.ref()); // the stream ended before the build did
                }
                LOG.info("Captured the log of {} ({}, {} bytes{})", build.ref(), follow ? "followed" : "fetched",
                        result.getMessage().getBody(LogInfo.class).size(), incomplete ? ", may be incomplete" : "");
            } catch (RuntimeException e) {
                boolean retry = !follow && attempt < RETRY_MILLIS.length;
                LOG.warn("Capturing the log of {} failed{}: {}", build.ref(),
                        retry ? ", trying again in " + RETRY_MILLIS[attempt] + " ms" : "", e.getMessage());
                if (follow) {
                    brokenFollows.add(build.ref()); // fetched again when the build ends
                } else if (retry) {
                    retries.schedule(() -> start(build, false, attempt + 1, trace), RETRY_MILLIS[attempt],
                            TimeUnit.MILLISECONDS);
                } else {
                    metrics.notStored("capture_failed");
                }
            } finally {
                capturing.remove(build.ref());
            }
            if (follow && brokenFollows.contains(build.ref())) {
                fetchIfEnded(build, trace); // its end event may have come while the follow was still being stored
            }
        });
    }

    private void fetchIfEnded(ClusterBuild build, Map<String, Object> trace) {
        try {
            ClusterBuild now = clusters.find(build.ref());
            if (now.isEnded() && now.ref().equals(build.ref())) {
                start(now, false, 0, trace);
            }
        } catch (RuntimeException e) {
            LOG.debug("{} is not readable now; its end event or the reconciliation fetches it", build.ref(), e);
        }
    }

    /** Route cluster-log-capture: opens the log in the cluster and stores it as it streams. */
    private Exchange capture(ClusterBuild build, boolean follow, boolean incomplete, Map<String, Object> trace) {
        Exchange result = routes.send("direct:cluster-log-capture", e -> {
            TraceHandoff.into(trace, e);
            e.setProperty("clusterBuild", build);
            e.setProperty("logFollow", follow);
            e.setProperty("buildRef", build.ref());
            e.setProperty("logIncomplete", incomplete);
        });
        if (result.getException() != null) {
            throw result.getException() instanceof RuntimeException re ? re
                    : new IllegalStateException(result.getException());
        }
        return result;
    }

    private boolean stored(BuildRef ref) {
        return records.exact(ref).map(BuildRecord::hasLog).orElse(false);
    }

    @Override
    public void destroy() {
        retries.shutdownNow();
        workers.shutdownNow();
    }
}
