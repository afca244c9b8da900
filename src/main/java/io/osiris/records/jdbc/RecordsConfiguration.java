package io.osiris.records.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.records.LogStore;
import io.osiris.records.RecordArchive;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The build database: records, reindex, and the start that tolerates a database not there yet. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RecordsProperties.class)
public class RecordsConfiguration {

    @Bean
    JdbcBuildRecords buildRecords(JdbcTemplate jdbc, PlatformTransactionManager transactions, RecordArchive archive,
                                  LogStore logs, ObjectMapper json) {
        return new JdbcBuildRecords(jdbc, new TransactionTemplate(transactions), archive, logs, json);
    }

    @Bean
    Reindex reindex(JdbcBuildRecords records, RecordArchive archive) {
        return new Reindex(records, archive);
    }

    @Bean
    RecordsStartup records(RecordsProperties properties, ObjectProvider<Reindex> reindex,
                           ObjectProvider<JdbcTemplate> database) {
        return new RecordsStartup(properties, reindex::getObject, database::getObject);
    }

    /** Flyway runs through {@link RecordsStartup}: a database that is down at start is migrated when it comes. */
    @Bean
    FlywayMigrationStrategy retryingMigration(RecordsStartup startup) {
        return startup::migrate;
    }
}
