package io.osiris.search;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.search.*}: search across logs ({@code GET /api/v1/search}).
 *
 * @param timeBudget      a search stops after this long; its summary then says it is partial
 * @param bytesBudget     a search reads at most this many bytes of (uncompressed) log; then it is partial
 * @param threads         logs scanned at once, across all searches (0: one per core)
 * @param maxSearches     searches running at once; more are refused with 429
 * @param matchesPerBuild matching lines answered per build at most (the count counts all)
 */
@Validated
@ConfigurationProperties("osiris.search")
public record SearchProperties(
        @NotNull @DefaultValue("30s") Duration timeBudget,
        @NotNull @DefaultValue("20GB") DataSize bytesBudget,
        @Min(0) @DefaultValue("0") int threads,
        @Min(1) @DefaultValue("2") int maxSearches,
        @Min(1) @Max(100) @DefaultValue("5") int matchesPerBuild) {

    public int scanThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
