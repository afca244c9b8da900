package io.osiris.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.osiris.records.BuildRecord;
import io.osiris.records.LogInfo;
import io.osiris.records.Phase;
import io.osiris.support.OsirisClient;
import io.osiris.support.OsirisProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Build records at scale: the database is seeded by a bulk loader (JDBC batches of the rows Osiris writes, not the
 * API: a million builds through the API would take hours), then the packaged service answers lists, filters and
 * legacy pages, timed one request at a time (p50/p99). Reindex is timed on a bucket of 10,000 build.json copies.
 */
final class RecordsBench {

    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    private static final int NAMESPACES = 100;
    private static final int SAMPLES = 200;

    private final Path work;
    private final String storageName;
    private final Consumer<String> row;
    private final Map<String, String> storageEnvironment;
    private final S3Client s3;
    private final ObjectMapper json = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private final ObjectMapper plain = new ObjectMapper();

    RecordsBench(Path work, Consumer<String> row, String storageName, Map<String, String> storageEnvironment,
                 S3Client s3) {
        this.work = work;
        this.storageName = storageName;
        this.row = row;
        this.storageEnvironment = storageEnvironment;
        this.s3 = s3;
    }

    /** Build number {@code i} of the synthetic history: 100 namespaces, 10% failed, 1,000 apps, one every 30 s. */
    static BuildRecord record(int i) {
        String namespace = "team-" + (i % NAMESPACES);
        String name = "build-" + i;
        Phase phase = i % 10 == 0 ? Phase.Failed : i % 10 == 1 ? Phase.Running : Phase.Complete;
        Instant start = EPOCH.plusSeconds(30L * i);
        Instant done = start.plusSeconds(240);
        LogInfo log = new LogInfo("builds/local/" + namespace + "/" + name + "/_/log.gz", 10_240, 2_100,
                "%064x".formatted(i), 120, "gzip", done.plusSeconds(1), null, null);
        return new BuildRecord("local", namespace, name, null, phase, start, phase == Phase.Running ? null : done,
                Map.of("app", "app-" + (i % 1000), "team", "t" + (i % 10)), null, start, done.plusSeconds(1), log);
    }

    void queries(int records) throws Exception {
        BenchDatabase database = BenchDatabase.named(work, "bench_records_" + records + "_" + System.nanoTime() % 100000);
        database.migrate();
        long loadStart = System.nanoTime();
        try (HikariDataSource pool = database.dataSource()) {
            load(pool, records);
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        row.accept(String.format("| seed | %s | %,d records | %.0f s (%,.0f rows/s) | | bulk loader (JDBC batches),"
                + " not the API |", database.kind(), records, loadSeconds, records / loadSeconds));
        try (OsirisProcess osiris = start(database, "records-" + records, "bench-records-" + records)) {
            client = osiris.client;
            time(database, records, "first page, all builds", i -> "/api/v1/builds?limit=100");
            walk(database, records, client, "next pages, all builds", "/api/v1/builds?limit=100");
            walk(database, records, client, "pages of phase=Failed", "/api/v1/builds?phase=Failed&limit=100");
            time(database, records, "label app=... (0.1% of builds)",
                    i -> "/api/v1/builds?limit=100&label=app%3Dapp-" + (i * 7 % 1000));
            time(database, records, "label team=... (10% of builds)",
                    i -> "/api/v1/builds?limit=100&label=team%3Dt" + (i % 10));
            time(database, records, "namespace + name prefix",
                    i -> "/api/v1/namespaces/team-" + (i % NAMESPACES) + "/builds?limit=100&namePrefix=build-"
                            + (1 + i % 9) + i % 7);
            time(database, records, "one hour of builds (since/until)", i -> {
                Instant from = EPOCH.plusSeconds(30L * ((long) i * 7919 % records));
                return "/api/v1/builds?limit=100&since=" + from + "&until=" + from.plusSeconds(3600);
            });
            time(database, records, "legacy page, first 100 pages", i -> "/build/info/page/" + (1 + i % 100));
            int pages = records / 20;
            time(database, records, "legacy page, anywhere", i -> "/build/info/page/" + (1 + (long) i * 7919 % pages));
            time(database, records, "one build by name", i -> "/api/v1/namespaces/team-" + (i * 31 % records
                    % NAMESPACES) + "/builds/build-" + (i * 31 % records));
        }
    }

    void reindex(int records) throws Exception {
        String bucket = "bench-reindex-" + records + "-" + System.nanoTime();
        s3.createBucket(b -> b.bucket(bucket));
        ExecutorService writers = Executors.newFixedThreadPool(16);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            BuildRecord record = record(i);
            writes.add(writers.submit(() -> s3.putObject(b -> b.bucket(bucket).key("builds/local/" + record.namespace()
                    + "/" + record.name() + "/_/build.json"), RequestBody.fromBytes(json.writeValueAsBytes(record)))));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        writers.shutdown();
        // what the storage alone needs to list the keys, the part of a reindex no database can speed up
        long listStart = System.nanoTime();
        long listed = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("builds/")).contents().stream().count();
        double listSeconds = (System.nanoTime() - listStart) / 1e9;
        BenchDatabase database = BenchDatabase.named(work, "bench_reindex_" + System.nanoTime() % 100000);
        try (OsirisProcess osiris = start(database, "reindex-" + records, bucket,
                "--osiris.records.reindex-at-start=false")) {
            HttpResponse<String> answer = osiris.client.send(java.net.http.HttpRequest.newBuilder(
                    osiris.client.uri("/api/v1/admin/reindex")).timeout(Duration.ofHours(1))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            JsonNode result = plain.readTree(answer.body());
            long millis = result.path("millis").asLong();
            row.accept(String.format("| reindex | %s, %s | %,d build.json in the bucket | %.1f s (%,.0f records/s) | | "
                    + "%d rows written; listing the %,d keys alone with the SDK: %.1f s |", database.kind(), storageName,
                    result.path("records").asLong(), millis / 1000.0,
                    result.path("records").asLong() * 1000.0 / Math.max(1, millis), result.path("changed").asLong(),
                    listed, listSeconds));
        }
    }

    private OsirisProcess start(BenchDatabase database, String name, String bucket, String... extra) throws Exception {
        Map<String, String> environment = new HashMap<>(storageEnvironment);
        environment.putAll(database.environment());
        environment.put("OSIRIS_S3_BUCKET", bucket);
        List<String> arguments = new ArrayList<>(database.arguments());
        arguments.add("--logging.level.root=WARN");
        arguments.addAll(Arrays.asList(extra));
        // the harness's clients all come from one address: the per-client share must not be what is measured
        arguments.add("--osiris.admission.max-uploads=64");
        arguments.add("--osiris.admission.max-uploads-per-client=64");
        return OsirisProcess.start(Files.createDirectories(work.resolve(name)), "256m", environment,
                arguments.toArray(String[]::new));
    }

    private OsirisClient client;

    private void load(HikariDataSource pool, int records) throws Exception {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement builds = connection.prepareStatement("INSERT INTO build_records (id, namespace, "
                    + "name, uid, phase, started_at, recorded_at, updated_at, has_log, archive_pending, record) "
                    + "VALUES (?, ?, ?, '', ?, ?, ?, ?, TRUE, FALSE, ?)");
                 PreparedStatement labels = connection.prepareStatement("INSERT INTO build_labels (build_id, "
                         + "label_key, label_value, namespace, name, uid) VALUES (?, ?, ?, ?, ?, '')")) {
                for (int i = 0; i < records; i++) {
                    BuildRecord r = record(i);
                    long id = i + 1L;
                    builds.setLong(1, id);
                    builds.setString(2, r.namespace());
                    builds.setString(3, r.name());
                    builds.setString(4, r.phase().name());
                    builds.setTimestamp(5, Timestamp.from(r.startTimestamp()));
                    builds.setTimestamp(6, Timestamp.from(r.recordedAt()));
                    builds.setTimestamp(7, Timestamp.from(r.updatedAt()));
                    builds.setString(8, json.writeValueAsString(r));
                    builds.addBatch();
                    for (Map.Entry<String, String> label : r.labels().entrySet()) {
                        labels.setLong(1, id);
                        labels.setString(2, label.getKey());
                        labels.setString(3, label.getValue());
                        labels.setString(4, r.namespace());
                        labels.setString(5, r.name());
                        labels.addBatch();
                    }
                    if (i % 5000 == 4999 || i == records - 1) {
                        builds.executeBatch();
                        labels.executeBatch();
                        connection.commit();
                    }
                }
            }
            try (var statement = connection.createStatement()) {
                statement.execute("ALTER TABLE build_records ALTER COLUMN id RESTART WITH " + (records + 1));
                connection.commit();
                if (connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")) {
                    // what autovacuum does after a bulk load: statistics, and the visibility map index-only scans need
                    connection.setAutoCommit(true);
                    statement.execute("VACUUM ANALYZE build_records");
                    statement.execute("VACUUM ANALYZE build_labels");
                }
            }
        }
    }

    /** Times SAMPLES requests (after 20 to warm up), one at a time. */
    private void time(BenchDatabase database, int records, String what, IntFunction<String> path) {
        for (int i = 0; i < 20; i++) {
            check(client.get(path.apply(i + SAMPLES)));
        }
        long[] nanos = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long started = System.nanoTime();
            check(client.get(path.apply(i)));
            nanos[i] = System.nanoTime() - started;
        }
        report(database, records, what, nanos);
    }

    /** Times SAMPLES consecutive pages of one list, following its continue tokens. */
    private void walk(BenchDatabase database, int records, OsirisClient client, String what, String first)
            throws Exception {
        long[] nanos = new long[SAMPLES];
        String token = plain.readTree(check(client.get(first)).body()).path("continue").asText(null);
        int pages = 0;
        for (; pages < SAMPLES && token != null; pages++) {
            long started = System.nanoTime();
            HttpResponse<String> page = check(client.get(first + "&continue=" + token));
            nanos[pages] = System.nanoTime() - started;
            token = plain.readTree(page.body()).path("continue").asText(null);
        }
        report(database, records, what, Arrays.copyOf(nanos, pages));
    }

    private void report(BenchDatabase database, int records, String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        row.accept(String.format("| %s | %s | %,d records | p50 %.1f ms, p99 %.1f ms | p99 < 100 ms | "
                        + "%d requests, one at a time, REST |", what, database.kind(), records,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted.length));
    }

    private static HttpResponse<String> check(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response;
    }
}
