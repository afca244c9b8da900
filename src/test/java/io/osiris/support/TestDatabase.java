package io.osiris.support;

import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every Osiris started in a test JVM a build database of its own, so that services started by different
 * test classes never see each other's records: an in-memory H2 (PostgreSQL mode) by default, or a schema of its
 * own in the PostgreSQL server named by {@code OSIRIS_TEST_POSTGRES_URL} (CI starts one, scripts/postgres-dev.sh).
 * {@code osiris.test.database=NAME} shares one database between services (replicas); {@code default} leaves the
 * service's own default (the embedded H2 file under the data directory).
 */
public class TestDatabase implements EnvironmentPostProcessor, Ordered {

    public static final String POSTGRES_URL = System.getenv("OSIRIS_TEST_POSTGRES_URL");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String name = environment.getProperty("osiris.test.database",
                "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16));
        if ("default".equals(name)) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("osiris-test-database", properties(name)));
    }

    /** The datasource settings of the test database {@code name}. */
    public static Map<String, Object> properties(String name) {
        if (POSTGRES_URL != null && !POSTGRES_URL.isBlank()) {
            return Map.of(
                    "spring.datasource.url", POSTGRES_URL + (POSTGRES_URL.contains("?") ? "&" : "?")
                            + "currentSchema=" + name,
                    "spring.datasource.username", env("OSIRIS_TEST_POSTGRES_USER", "osiris"),
                    "spring.datasource.password", env("OSIRIS_TEST_POSTGRES_PASSWORD", "osiris"),
                    "spring.flyway.schemas", name);
        }
        return Map.of("spring.datasource.url", "jdbc:h2:mem:" + name
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
