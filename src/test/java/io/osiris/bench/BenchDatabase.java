package io.osiris.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * The build database of one benchmark run: a schema of its own in the PostgreSQL server of
 * {@code OSIRIS_TEST_POSTGRES_URL} (scripts/postgres-dev.sh) when set, else an embedded H2 file.
 */
record BenchDatabase(String kind, String url, String user, String password, String schema) {

    static BenchDatabase named(Path work, String name) {
        String postgres = System.getenv("OSIRIS_TEST_POSTGRES_URL");
        if (postgres != null && !postgres.isBlank()) {
            return new BenchDatabase("postgresql", postgres + (postgres.contains("?") ? "&" : "?")
                    + "currentSchema=" + name + "&reWriteBatchedInserts=true",
                    env("OSIRIS_TEST_POSTGRES_USER", "osiris"), env("OSIRIS_TEST_POSTGRES_PASSWORD", "osiris"), name);
        }
        return new BenchDatabase("h2", "jdbc:h2:file:" + work.resolve("db-" + name).resolve("osiris")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "osiris", "osiris", null);
    }

    /** The environment that points a packaged Osiris at this database. */
    Map<String, String> environment() {
        return Map.of("OSIRIS_DB_URL", url, "OSIRIS_DB_USER", user, "OSIRIS_DB_PASSWORD", password);
    }

    /** The arguments that go with it (the schema Flyway migrates). */
    List<String> arguments() {
        return schema == null ? List.of() : List.of("--spring.flyway.schemas=" + schema);
    }

    void migrate() {
        var flyway = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration");
        if (schema != null) {
            flyway.schemas(schema);
        }
        flyway.load().migrate();
    }

    HikariDataSource dataSource() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(8);
        return pool;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
