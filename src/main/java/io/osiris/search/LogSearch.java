package io.osiris.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.buildlog.LineSearch;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildQuery;
import io.osiris.records.BuildRecords;
import io.osiris.records.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Route step of {@code api-search}: starts a search across logs and answers its stream of JSON lines. Searches
 * share a fixed pool of scanner threads ({@code osiris.search.threads}) and are bounded in number.
 */
@Component("logSearch")
public class LogSearch implements DisposableBean {

    private final BuildRecords records;
    private final LogStore logs;
    private final ObjectMapper json;
    private final SearchProperties properties;
    private final Semaphore searches;
    private final ExecutorService scanners;
    private final ExecutorService coordinators;

    public LogSearch(BuildRecords records, LogStore logs, ObjectMapper json, SearchProperties properties) {
        this.records = records;
        this.logs = logs;
        this.json = json;
        this.properties = properties;
        this.searches = new Semaphore(properties.maxSearches());
        AtomicInteger n = new AtomicInteger();
        this.scanners = Executors.newFixedThreadPool(properties.scanThreads(), r -> daemon(r,
                "osiris-search-scan-" + n.incrementAndGet()));
        this.coordinators = Executors.newCachedThreadPool(r -> daemon(r, "osiris-search"));
    }

    /** The search's reply body (JSON lines); 429 when {@code osiris.search.max-searches} are running. */
    public InputStream search(BuildQuery query, LineSearch lines) {
        if (!searches.tryAcquire()) {
            throw new OsirisException(ErrorKind.TOO_MANY_REQUESTS, null, "too many searches at once ("
                    + properties.maxSearches() + "); try again shortly");
        }
        SearchRun run;
        try {
            run = new SearchRun(records, logs, json, scanners, properties.scanThreads(), query, lines, properties)
                    .firstPage();
        } catch (RuntimeException e) {
            searches.release();
            throw e;
        }
        InputStream output = run.output();
        coordinators.execute(() -> {
            try {
                run.run();
            } finally {
                searches.release();
            }
        });
        return output;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void destroy() throws IOException {
        coordinators.shutdownNow();
        scanners.shutdownNow();
    }
}
