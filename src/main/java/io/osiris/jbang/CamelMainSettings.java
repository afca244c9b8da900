package io.osiris.jbang;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.MeterRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.osiris.access.AccessConfiguration;
import io.osiris.access.AccessControl;
import io.osiris.access.AuditLog;
import io.osiris.access.AuthProperties;
import io.osiris.api.ApiProperties;
import io.osiris.records.BuildRecords;
import io.osiris.buildlog.SpoolProperties;
import io.osiris.cluster.ClusterProperties;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.EmbeddedS3Server;
import io.osiris.storage.S3Configuration;
import io.osiris.storage.StorageProperties;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.osiris.records.LogStore;
import io.osiris.records.RecordArchive;
import io.osiris.records.jdbc.JdbcBuildRecords;
import io.osiris.records.jdbc.Reindex;
import java.io.IOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import java.io.InputStream;
import java.net.URI;
import java.util.Properties;
import java.util.Set;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Osiris' settings and shared clients under Camel Main ({@code camel run}), where Spring does not wire the beans:
 * {@code jbang/osiris-beans.camel.yaml} declares every bean the routes call, with these as arguments. It closes the
 * embedded S3 server it may have started. The
 * {@code osiris.*} properties of Camel's properties component are bound with Spring Boot's binder, so names,
 * defaults and units are those of {@code application.yaml} and the README.
 */
public class CamelMainSettings implements CamelContextAware, AutoCloseable {

    private CamelContext camelContext;
    private Binder binder;
    private EmbeddedS3Server embedded;

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    // Camel 4.17's YAML beans call static factory methods only (type + factoryMethod): each takes the settings bean.

    public static StorageProperties storage(CamelMainSettings settings) {
        return settings.bind("osiris.storage", StorageProperties.class);
    }

    public static SpoolProperties spool(CamelMainSettings settings) {
        return settings.bind("osiris.spool", SpoolProperties.class);
    }

    public static ApiProperties api(CamelMainSettings settings) {
        return settings.bind("osiris.api", ApiProperties.class);
    }

    public static io.osiris.api.AdmissionProperties admission(CamelMainSettings settings) {
        return settings.bind("osiris.admission", io.osiris.api.AdmissionProperties.class);
    }

    public static ClusterProperties cluster(CamelMainSettings settings) {
        return settings.bind("osiris.cluster", ClusterProperties.class);
    }

    public static io.osiris.records.HomeCluster homeCluster(ClusterProperties cluster) {
        return new io.osiris.records.HomeCluster(cluster.name());
    }

    public static BuildKeys buildKeys(CamelMainSettings settings) {
        return BuildKeys.of(storage(settings));
    }

    /** The JSON mapper with Spring Boot's defaults (ISO dates, Java time, unknown fields ignored unless refused). */
    public static ObjectMapper json(CamelMainSettings settings) {
        return Jackson2ObjectMapperBuilder.json()
                .featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
                        SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .build();
    }

    /** The S3 client; with no endpoint configured, the embedded S3 server is started first (as the service does). */
    public static S3Client s3Client(CamelMainSettings settings, MeterRegistry metrics) throws Exception {
        StorageProperties storage = storage(settings);
        URI endpoint = storage.isEmbedded() ? settings.embeddedServer(storage).endpoint() : storage.endpoint();
        return S3Configuration.client(storage, endpoint, metrics);
    }

    private synchronized EmbeddedS3Server embeddedServer(StorageProperties storage) throws Exception {
        if (embedded == null) {
            embedded = new EmbeddedS3Server(storage);
            embedded.awaitStarted();
        }
        return embedded;
    }

    /** The version and build time from the packaged build-info, when present. */
    public static ObjectProvider<BuildProperties> buildInfo(CamelMainSettings settings) throws IOException {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        try (InputStream in = CamelMainSettings.class.getResourceAsStream("/META-INF/build-info.properties")) {
            if (in != null) {
                Properties info = new Properties();
                info.load(in);
                Properties entries = new Properties();
                info.stringPropertyNames().stream().filter(k -> k.startsWith("build."))
                        .forEach(k -> entries.setProperty(k.substring("build.".length()), info.getProperty(k)));
                beans.addBean("buildProperties", new BuildProperties(entries));
            }
        }
        return beans.getBeanProvider(BuildProperties.class);
    }

    @Override
    public synchronized void close() throws Exception {
        if (embedded != null) {
            embedded.destroy();
            embedded = null;
        }
    }

    /** The build database of spring.datasource.* (jbang/application.properties), pooled as under Spring. */
    public static HikariDataSource dataSource(CamelMainSettings settings) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(settings.camelContext.resolvePropertyPlaceholders("{{spring.datasource.url}}"));
        pool.setUsername(settings.camelContext.resolvePropertyPlaceholders("{{spring.datasource.username}}"));
        pool.setPassword(settings.camelContext.resolvePropertyPlaceholders("{{spring.datasource.password}}"));
        pool.setConnectionTimeout(3000);
        return new HikariDataSource(pool);
    }

    /** The records as under Spring: schema migrated, rebuilt from the bucket when the database is empty. */
    public static JdbcBuildRecords buildRecords(DataSource database, RecordArchive archive, LogStore logs,
                                                ObjectMapper json, io.osiris.records.HomeCluster home) {
        Flyway.configure().dataSource(database).locations("classpath:db/migration")
                .placeholders(java.util.Map.of("homeCluster", home.name())).load().migrate();
        JdbcBuildRecords records = new JdbcBuildRecords(new JdbcTemplate(database),
                new TransactionTemplate(new DataSourceTransactionManager(database)), archive, logs, json);
        Reindex reindex = new Reindex(records, archive);
        reindex.upgradeLayout();
        reindex.runIfDatabaseEmpty();
        return records;
    }

    /** Access control as under Spring; anonymous mode only on the loopback address (camel.server.host). */
    public static AccessControl accessControl(CamelMainSettings settings, BuildRecords records,
                                              MeterRegistry metrics) {
        AuthProperties auth = settings.bind("osiris.auth", AuthProperties.class);
        CamelContext camel = settings.camelContext;
        AccessConfiguration.refuseAnonymousOnTheNetwork(auth, name -> "server.address".equals(name)
                ? camel.resolvePropertyPlaceholders("{{camel.server.host:0.0.0.0}}") : null);
        KubernetesClient client = auth.kubernetes() ? new KubernetesClientBuilder().build() : null;
        return AccessControl.create(auth, client, records, new AuditLog(metrics));
    }

    /** Masking at ingest; Kubernetes Secrets are not read under Camel Main (no cluster client). */
    public static io.osiris.redaction.LogRedaction logRedaction(CamelMainSettings settings) {
        return io.osiris.redaction.LogRedaction.of(
                settings.bind("osiris.redaction", io.osiris.redaction.RedactionProperties.class),
                new StaticListableBeanFactory().getBeanProvider(KubernetesClient.class));
    }

    public static io.osiris.retention.Retention retention(CamelMainSettings settings, BuildRecords records,
                                                          MeterRegistry metrics) {
        return new io.osiris.retention.Retention(records,
                settings.bind("osiris.retention", io.osiris.retention.RetentionProperties.class), metrics);
    }

    public static io.osiris.search.SearchProperties search(CamelMainSettings settings) {
        return settings.bind("osiris.search", io.osiris.search.SearchProperties.class);
    }

    /** Binds and validates a settings record: the same constraints as under Spring, checked at start. */
    private <T> T bind(String prefix, Class<T> type) {
        T bound = binder().bindOrCreate(prefix, type);
        try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
            Set<ConstraintViolation<T>> violations = validation.getValidator().validate(bound);
            if (!violations.isEmpty()) {
                throw new IllegalArgumentException("Invalid " + prefix + " settings: " + violations.stream()
                        .map(v -> prefix + "." + v.getPropertyPath() + " " + v.getMessage()).sorted().toList());
            }
        }
        return bound;
    }

    private synchronized Binder binder() {
        if (binder == null) {
            Properties loaded = camelContext.getPropertiesComponent().loadProperties(k -> k.startsWith("osiris."));
            Properties resolved = new Properties();
            for (String key : loaded.stringPropertyNames()) {
                // values may hold Camel placeholders, e.g. {{env:OSIRIS_S3_ENDPOINT:}}
                resolved.setProperty(key, camelContext.resolvePropertyPlaceholders(loaded.getProperty(key)));
            }
            binder = new Binder(new MapConfigurationPropertySource(resolved));
        }
        return binder;
    }
}
