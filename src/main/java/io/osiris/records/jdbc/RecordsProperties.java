package io.osiris.records.jdbc;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.records.*}: the build database (the connection itself is {@code spring.datasource.*}).
 *
 * @param reindexAtStart  rebuild the database from the bucket at start when it is empty and the bucket is not
 * @param retryInterval   how often a database unreachable at start is tried again, and bucket copies of records that
 *                        storage refused are written again
 */
@Validated
@ConfigurationProperties("osiris.records")
public record RecordsProperties(
        boolean reindexAtStart,
        @NotNull Duration retryInterval) {
}
