package io.osiris.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.OsirisApplication;
import io.osiris.support.OsirisClient;
import io.osiris.support.TestS3Server;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The bucket alone rebuilds the database: at start when the database is empty, and on request. */
class ReindexTest {

    private static final String BUCKET = "osiris-build-logs";

    @TempDir
    Path data;

    private final ObjectMapper json = new ObjectMapper();
    private TestS3Server s3;

    @BeforeEach
    void storage() throws Exception {
        s3 = new TestS3Server(data.resolve("s3")).start();
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    @Test
    void aNewDatabaseOverTheSameBucketGivesIdenticalAnswers() {
        Map<String, String> before;
        try (ConfigurableApplicationContext first = start(newDatabase())) {
            OsirisClient client = client(first);
            populate(client);
            before = answers(client);
        }
        try (ConfigurableApplicationContext second = start(newDatabase())) {
            assertThat(answers(client(second))).containsExactlyEntriesOf(before);
        }
    }

    @Test
    void aBucketWrittenByThePreviousVersionIsIndexedAtStart() throws Exception {
        // build.json and legacy-ids/*.json exactly as the S3-only version wrote them, and its gzip log object
        try (S3Client bucket = bucketClient()) {
            bucket.createBucket(b -> b.bucket(BUCKET));
            put(bucket, "builds/old/app-7/u-7/build.json", """
                    {"namespace":"old","name":"app-7","uid":"u-7","phase":"Failed",\
                    "startTimestamp":"2026-10-01T08:00:00Z","completionTimestamp":"2026-10-01T08:03:00Z",\
                    "labels":{"app":"seven"},"message":"tests failed",\
                    "recordedAt":"2026-10-01T08:00:01.123456Z","updatedAt":"2026-10-01T08:03:02.5Z",\
                    "log":{"key":"builds/old/app-7/u-7/log.gz","size":12,"storedSize":32,\
                    "sha256":"0000000000000000000000000000000000000000000000000000000000000000","lines":1,\
                    "encoding":"gzip","storedAt":"2026-10-01T08:03:02.4Z"}}""".getBytes(StandardCharsets.UTF_8));
            put(bucket, "builds/old/app-7/u-7/log.gz", gzip("old log one\n"));
            put(bucket, "builds/legacy/legacy-3/u-3/build.json", """
                    {"namespace":"legacy","name":"legacy-3","uid":"u-3","phase":"Complete",\
                    "recordedAt":"2026-10-02T09:00:00Z","updatedAt":"2026-10-02T09:00:00Z"}"""
                    .getBytes(StandardCharsets.UTF_8));
            put(bucket, "legacy-ids/legacy-3.json", "{\"namespace\":\"legacy\"}".getBytes(StandardCharsets.UTF_8));
        }

        try (ConfigurableApplicationContext osiris = start(newDatabase())) {
            OsirisClient client = client(osiris);
            JsonNode build = json.readTree(client.get("/api/v1/namespaces/old/builds/app-7").body());
            assertThat(build.path("uid").asText()).isEqualTo("u-7");
            assertThat(build.path("phase").asText()).isEqualTo("Failed");
            assertThat(build.path("labels").path("app").asText()).isEqualTo("seven");
            assertThat(build.path("recordedAt").asText()).isEqualTo("2026-10-01T08:00:01.123456Z");
            assertThat(client.get("/api/v1/namespaces/old/builds/app-7/log").body()).isEqualTo("old log one\n");
            assertThat(json.readTree(client.get("/api/v1/builds?label=app=seven").body()).path("items"))
                    .hasSize(1);
            // the legacy id still finds its namespace
            JsonNode legacy = json.readTree(client.get("/build/info/legacy-3").body());
            assertThat(legacy.path("data").path("payload").path("ocp_info").path("namespace").asText())
                    .isEqualTo("legacy");
        }
    }

    @Test
    void aBucketAndDatabaseOfTheVersionBeforeClustersMoveIntoTheHomeCluster() throws Exception {
        String record = """
                {"namespace":"old","name":"app-7","uid":"u-7","phase":"Failed",\
                "recordedAt":"2026-10-01T08:00:01Z","updatedAt":"2026-10-01T08:03:02Z",\
                "log":{"key":"builds/old/app-7/u-7/log.gz","size":12,"storedSize":32,\
                "sha256":"0000000000000000000000000000000000000000000000000000000000000000","lines":1,\
                "encoding":"gzip","storedAt":"2026-10-01T08:03:02Z"}}""";
        try (S3Client bucket = bucketClient()) {
            bucket.createBucket(b -> b.bucket(BUCKET));
            put(bucket, "builds/old/app-7/u-7/build.json", record.getBytes(StandardCharsets.UTF_8));
            put(bucket, "builds/old/app-7/u-7/log.gz", gzip("old log one\n"));
        }
        // the database as the version before clusters left it: schema V2, one row
        String database = newDatabase();
        Map<String, Object> settings = io.osiris.support.TestDatabase.properties(database);
        var source = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                (String) settings.get("spring.datasource.url"),
                (String) settings.getOrDefault("spring.datasource.username", "osiris"),
                (String) settings.getOrDefault("spring.datasource.password", "osiris"));
        var flyway = org.flywaydb.core.Flyway.configure().dataSource(source).locations("classpath:db/migration")
                .target("2");
        if (settings.containsKey("spring.flyway.schemas")) {
            flyway.schemas((String) settings.get("spring.flyway.schemas"));
        }
        flyway.load().migrate();
        new JdbcTemplate(source).update("INSERT INTO build_records (namespace, name, uid, phase, started_at, "
                + "recorded_at, updated_at, has_log, archive_pending, record) VALUES ('old', 'app-7', 'u-7', "
                + "'Failed', TIMESTAMP WITH TIME ZONE '2026-10-01 08:00:01+00', "
                + "TIMESTAMP WITH TIME ZONE '2026-10-01 08:00:01+00', TIMESTAMP WITH TIME ZONE "
                + "'2026-10-01 08:03:02+00', TRUE, FALSE, ?)", record);

        try (ConfigurableApplicationContext osiris = start(database, "--osiris.cluster.name=prod-eu")) {
            OsirisClient client = client(osiris);
            JsonNode build = json.readTree(client.get("/api/v1/namespaces/old/builds/app-7").body());
            assertThat(build.path("cluster").asText()).isEqualTo("prod-eu");
            assertThat(client.get("/api/v1/namespaces/old/builds/app-7/log?cluster=prod-eu").body())
                    .isEqualTo("old log one\n");
            assertThat(json.readTree(client.get("/api/v1/builds?cluster=prod-eu").body()).path("items"))
                    .hasSize(1);
            assertThat(osiris.getBean(JdbcTemplate.class).queryForObject(
                    "SELECT cluster FROM build_records WHERE name = 'app-7'", String.class)).isEqualTo("prod-eu");
        }
        try (S3Client bucket = bucketClient()) {
            List<String> keys = bucket.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                    .map(o -> o.key()).filter(k -> k.endsWith(".json") || k.endsWith(".gz")).toList();
            // the record moved (the log stays where the record says), and the marker says the layout is current
            assertThat(keys).containsExactlyInAnyOrder("builds/prod-eu/old/app-7/u-7/build.json",
                    "builds/old/app-7/u-7/log.gz", "layout.json");
            assertThat(json.readTree(bucket.getObjectAsBytes(b -> b.bucket(BUCKET)
                    .key("builds/prod-eu/old/app-7/u-7/build.json")).asByteArray()).path("cluster").asText())
                    .isEqualTo("prod-eu");
        }
        // the bucket alone still rebuilds everything
        try (ConfigurableApplicationContext rebuilt = start(newDatabase(), "--osiris.cluster.name=prod-eu")) {
            OsirisClient client = client(rebuilt);
            assertThat(client.get("/api/v1/namespaces/old/builds/app-7/log").body()).isEqualTo("old log one\n");
            assertThat(json.readTree(client.get("/api/v1/namespaces/old/builds/app-7").body()).path("cluster")
                    .asText()).isEqualTo("prod-eu");
        }
    }

    @Test
    void theReindexOperationRestoresWhatTheDatabaseLost() throws Exception {
        try (ConfigurableApplicationContext osiris = start(newDatabase())) {
            OsirisClient client = client(osiris);
            populate(client);
            Map<String, String> before = answers(client);
            JdbcTemplate database = osiris.getBean(JdbcTemplate.class);
            database.update("DELETE FROM build_records WHERE namespace = 'team-b'");
            database.update("DELETE FROM legacy_ids");
            assertThat(answers(client)).isNotEqualTo(before);

            HttpResponse<String> reindex = client.send(java.net.http.HttpRequest.newBuilder(
                    client.uri("/api/v1/admin/reindex")).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build());
            assertThat(reindex.statusCode()).as(reindex.body()).isEqualTo(200);
            JsonNode result = json.readTree(reindex.body());
            assertThat(result.path("records").asInt()).isEqualTo(22);
            assertThat(result.path("changed").asInt()).isEqualTo(10);
            assertThat(result.path("legacyIds").asInt()).isEqualTo(1);
            assertThat(answers(client)).containsExactlyEntriesOf(before);
        }
    }

    /** 22 records: 2 namespaces x 10 builds (phases, labels, logs), one name re-created, one legacy build. */
    private static void populate(OsirisClient client) {
        String[] phases = {"Running", "Complete", "Failed"};
        for (String namespace : List.of("team-a", "team-b")) {
            for (int i = 0; i < 10; i++) {
                String path = "/api/v1/namespaces/" + namespace + "/builds/app-" + i;
                client.putJson(path, "{\"phase\":\"" + phases[i % 3] + "\",\"labels\":{\"app\":\"a" + (i % 4)
                        + "\"},\"startTimestamp\":\"2026-11-0" + (1 + i % 9) + "T10:00:00Z\"}");
                if (i % 2 == 0) {
                    client.putLog(path + "/log", namespace + " log " + i + "\n");
                }
            }
        }
        client.putJson("/api/v1/namespaces/team-a/builds/app-0", "{\"uid\":\"second-uid\",\"phase\":\"New\"}");
        client.putJson("/build/completed/legacy-1", """
                {"kind":"Build","apiVersion":"build.openshift.io/v1",
                 "metadata":{"name":"legacy-1","namespace":"old-team","uid":"lu-1"},
                 "status":{"phase":"Complete","startTimestamp":"2026-11-20T10:00:00Z"}}""");
    }

    /** What clients see: lists (walked page by page), filters, single builds, logs and legacy pages. */
    private static Map<String, String> answers(OsirisClient client) {
        Map<String, String> answers = new LinkedHashMap<>();
        List<String> reads = new ArrayList<>(List.of(
                "/api/v1/builds?phase=Failed", "/api/v1/builds?label=app=a1",
                "/api/v1/namespaces/team-a/builds?namePrefix=app-1", "/api/v1/builds?since=2026-11-05T00:00:00Z",
                "/build/info/page", "/build/info/page/2", "/build/info/legacy-1",
                "/api/v1/namespaces/team-a/builds/app-0?uid=second-uid", "/api/v1/namespaces/team-a/builds/app-0"));
        for (int i = 0; i < 10; i++) {
            reads.add("/api/v1/namespaces/team-b/builds/app-" + i);
            reads.add("/api/v1/namespaces/team-b/builds/app-" + i + "/log");
        }
        String next = "/api/v1/builds?limit=7";
        for (int page = 0; next != null; page++) {
            String body = client.get(next).body();
            answers.put("page " + page, body);
            String token = read(body).path("continue").asText(null);
            next = token == null ? null : "/api/v1/builds?limit=7&continue=" + token;
        }
        for (String path : reads) {
            HttpResponse<String> answer = client.get(path);
            answers.put(path, answer.statusCode() + " " + answer.body().replaceAll("\"timestamp\":\"[^\"]*\"", ""));
        }
        return answers;
    }

    private static JsonNode read(String body) {
        try {
            return new ObjectMapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    private static String newDatabase() {
        return "reindex" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private ConfigurableApplicationContext start(String database, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--osiris.storage.endpoint=" + s3.endpoint(),
                "--osiris.storage.access-key=" + TestS3Server.ACCESS_KEY,
                "--osiris.storage.secret-key=" + TestS3Server.SECRET_KEY,
                "--osiris.spool.directory=" + data.resolve("spool"),
                "--osiris.test.database=" + database));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(OsirisApplication.class).run(args.toArray(String[]::new));
    }

    private static OsirisClient client(ConfigurableApplicationContext context) {
        return new OsirisClient(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private S3Client bucketClient() {
        return s3.client();
    }

    private static void put(S3Client bucket, String key, byte[] bytes) {
        bucket.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
