package io.osiris.records.jdbc;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Brings the build database to service: migrates its schema (Flyway), moves the bucket's records of older layouts
 * into the present one, then rebuilds the database from the bucket when it is empty and the bucket is not. Both happen before the service reports ready; when the database or the bucket is
 * not reachable at start, the service starts anyway, stays not-ready ({@code records} in readiness) and tries again
 * every {@code osiris.records.retry-interval}.
 */
public class RecordsStartup implements ApplicationRunner, HealthIndicator, DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(RecordsStartup.class);

    enum State { MIGRATING, REINDEXING, READY }

    private final RecordsProperties properties;
    /** Looked up when needed: the records depend on the migration, which this class runs. */
    private final Supplier<Reindex> reindex;
    private final Supplier<JdbcTemplate> database;
    private volatile Flyway flyway;
    private volatile Thread migration;
    private volatile State state = State.MIGRATING;
    private volatile String waitingFor = "not started";
    private ScheduledExecutorService retries;

    RecordsStartup(RecordsProperties properties, Supplier<Reindex> reindex, Supplier<JdbcTemplate> database) {
        this.properties = properties;
        this.database = database;
        this.reindex = reindex;
    }

    /**
     * Called by Spring Boot's Flyway initializer at start. The migration (opening the database, checking or creating
     * its schema) runs on a thread of its own while the rest of the service starts; {@link #run} waits for it.
     */
    void migrate(Flyway migrations) {
        this.flyway = migrations;
        migration = new Thread(this::migrateSchema, "osiris-records-migration");
        migration.setDaemon(true);
        migration.start();
    }

    private synchronized void migrateSchema() {
        try {
            flyway.migrate();
            state = State.REINDEXING;
        } catch (RuntimeException e) {
            waitingFor = e.getMessage();
            LOG.warn("Build database schema not migrated yet: {}", e.getMessage());
        }
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        if (migration != null) {
            migration.join();
        }
        if (state == State.MIGRATING && flyway == null) {
            state = State.REINDEXING; // no Flyway (migrations disabled): the schema is someone else's
        }
        if (!step()) {
            retryInBackground();
        }
    }

    @Override
    public Health health() {
        if (state != State.READY) {
            return Health.outOfService().withDetail("state", state.name().toLowerCase())
                    .withDetail("waitingFor", waitingFor).build();
        }
        try {
            database.get().queryForList("SELECT id FROM build_records WHERE 1 = 0");
            return Health.up().build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", String.valueOf(e.getMessage())).build();
        }
    }

    /** Goes as far as it can now; true when ready. */
    private synchronized boolean step() {
        try {
            if (state == State.MIGRATING && flyway != null) {
                flyway.migrate();
                state = State.REINDEXING;
            }
            if (state == State.REINDEXING) {
                reindex.get().upgradeLayout();
                if (properties.reindexAtStart()) {
                    reindex.get().runIfDatabaseEmpty();
                }
                state = State.READY;
                waitingFor = "nothing";
            }
        } catch (RuntimeException e) {
            waitingFor = e.getMessage();
            LOG.warn("Build database not ready ({}): {}; trying again every {}", state.name().toLowerCase(),
                    e.getMessage(), properties.retryInterval());
        }
        return state == State.READY;
    }

    private synchronized void retryInBackground() {
        if (retries != null) {
            return;
        }
        retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "osiris-records-start");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.retryInterval().toMillis();
        retries.scheduleWithFixedDelay(() -> {
            if (step()) {
                LOG.info("Build database ready");
                retries.shutdown();
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void destroy() {
        if (retries != null) {
            retries.shutdownNow();
        }
    }
}
