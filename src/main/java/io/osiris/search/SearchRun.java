package io.osiris.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.buildlog.ChunkPipe;
import io.osiris.buildlog.LineSearch;
import io.osiris.buildlog.LogView;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildQuery;
import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRecords;
import io.osiris.records.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One search across logs: walks the records the query selects, page by page, scans their logs on the shared
 * scanner threads (each a gzip stream read once, never held), and writes a JSON line per build with matches as
 * soon as it is known, then a summary line. Stops at the time budget, the bytes budget or the result limit, and
 * when the client goes away.
 */
final class SearchRun implements Runnable {

    private static final int PAGE = 200;
    /** Results waiting for a slow client; past it the scans wait (up to the time budget and a little more). */
    private static final long RESULTS_BUFFERED = 256 * 1024;
    private static final long CLIENT_PATIENCE_NANOS = 30_000_000_000L;

    private final BuildRecords records;
    private final LogStore logs;
    private final ObjectMapper json;
    private final ExecutorService scanners;
    private final BuildQuery query;
    private final LineSearch lines;
    private final long deadline;
    private final long bytesBudget;
    private final int maxResults;
    private final long started = System.nanoTime();
    private final ChunkPipe out = new ChunkPipe(RESULTS_BUFFERED);
    private final Semaphore inFlight;
    private final Phaser scans = new Phaser(1);
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong scannedBytes = new AtomicLong();
    private final AtomicLong scannedBuilds = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile boolean cancelled;
    private volatile String stoppedBy;
    private BuildQuery.Page first;

    SearchRun(BuildRecords records, LogStore logs, ObjectMapper json, ExecutorService scanners, int threads,
              BuildQuery query, LineSearch lines, SearchProperties properties) {
        this.records = records;
        this.logs = logs;
        this.json = json;
        this.scanners = scanners;
        this.query = query;
        this.lines = lines;
        this.deadline = started + properties.timeBudget().toNanos();
        this.bytesBudget = properties.bytesBudget().toBytes();
        this.maxResults = query.limit();
        this.inFlight = new Semaphore(threads * 2);
    }

    /** Reads the first page now, so that an unreachable database is an error reply, not a broken stream. */
    SearchRun firstPage() {
        first = records.list(page(null));
        return this;
    }

    /** The reply: JSON lines as they come; closing it (the client went away) stops the search. */
    InputStream output() {
        return out.input();
    }

    @Override
    public void run() {
        try {
            BuildQuery.Page page = first;
            while (stoppedBy == null && !cancelled) {
                for (BuildRecord record : page.items()) {
                    if (!record.hasLog()) {
                        continue;
                    }
                    if (!admit(record)) {
                        break;
                    }
                }
                if (page.continueToken() == null || stoppedBy != null) {
                    break;
                }
                page = records.list(page(page.continueToken()));
            }
        } catch (OsirisException e) {
            stoppedBy = e.kind() == ErrorKind.STORAGE_UNAVAILABLE ? "storage unavailable" : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stoppedBy = "interrupted";
        } finally {
            awaitScans();
            summary();
        }
    }

    /** Starts the scan of one build's log, if the budgets allow; false when the search stops here. */
    private boolean admit(BuildRecord record) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            stoppedBy = "time budget";
        } else if (scannedBytes.get() + record.log().size() > bytesBudget) {
            stoppedBy = "bytes budget";
        } else if (matched.get() >= maxResults) {
            stoppedBy = "result limit";
        }
        if (stoppedBy != null || cancelled) {
            return false;
        }
        if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            stoppedBy = "time budget";
            return false;
        }
        scannedBytes.addAndGet(record.log().size());
        scans.register();
        scanners.execute(() -> {
            try {
                scan(record);
            } finally {
                inFlight.release();
                scans.arriveAndDeregister();
            }
        });
        return true;
    }

    private void scan(BuildRecord record) {
        if (cancelled || System.nanoTime() > deadline) {
            return;
        }
        LineSearch.Result result;
        try (InputStream stored = logs.open(record.log().key())) {
            result = lines.scan(LogView.decoded(stored, record.log()), deadline);
        } catch (OsirisException e) {
            if (e.kind() == ErrorKind.STORAGE_UNAVAILABLE) {
                stoppedBy = "storage unavailable"; // a search that read nothing must not say "no matches"
            } else {
                unreadable.incrementAndGet(); // the object is gone (an S3 lifecycle rule, say)
            }
            return;
        } catch (IOException | UncheckedIOException e) {
            stoppedBy = "storage unavailable"; // the read broke off
            return;
        }
        scannedBuilds.incrementAndGet();
        if (result.partial()) {
            stoppedBy = "time budget";
        }
        if (result.count() == 0 || matched.incrementAndGet() > maxResults) {
            return;
        }
        Map<String, Object> hit = new LinkedHashMap<>();
        hit.put("cluster", record.cluster());
        hit.put("namespace", record.namespace());
        hit.put("name", record.name());
        if (record.uid() != null) {
            hit.put("uid", record.uid());
        }
        hit.put("phase", record.phase());
        hit.put("startTimestamp", record.startedOrRecorded());
        hit.put("count", result.count());
        hit.put("matches", result.matches());
        if (result.partial()) {
            hit.put("partial", true);
        }
        emit(hit);
    }

    private void awaitScans() {
        try {
            scans.awaitAdvanceInterruptibly(scans.arrive(), Math.max(1, deadline - System.nanoTime()) + 5_000_000_000L,
                    TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.TimeoutException e) {
            stoppedBy = "time budget";
        }
    }

    private void summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("builds", scannedBuilds.get());
        summary.put("bytes", scannedBytes.get());
        summary.put("matched", Math.min(matched.get(), maxResults));
        summary.put("partial", stoppedBy != null);
        if (stoppedBy != null) {
            summary.put("stoppedBy", stoppedBy);
        }
        if (unreadable.get() > 0) {
            summary.put("unreadable", unreadable.get());
        }
        summary.put("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        emit(Map.of("summary", summary));
        out.close();
    }

    private void emit(Object line) {
        try {
            byte[] bytes = json.writeValueAsBytes(line);
            byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            withNewline[bytes.length] = '\n';
            offer(withNewline);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A slow client holds the search back, up to the time budget and a little more; a gone one stops it. */
    private void offer(byte[] line) {
        try {
            long patience = Math.max(0, deadline - System.nanoTime()) + CLIENT_PATIENCE_NANOS;
            if (!cancelled && !out.write(line, patience)) {
                cancelled = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
        }
    }

    private BuildQuery page(String token) {
        return new BuildQuery(query.cluster(), query.namespace(), query.namePrefix(), query.phase(), query.label(), query.since(),
                query.until(), PAGE, token, query.newestFirst());
    }
}
