package io.osiris.api;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.api.*}: limits and defaults of the REST doors.
 *
 * @param maxLogSize       largest log accepted (413 above)
 * @param legacyMaxLogSize largest log accepted by the legacy JSON door, whose protocol puts the whole log in one
 *                         JSON string
 * @param legacyNamespace  namespace of legacy builds whose request names none
 * @param defaultPageSize  page size of list calls without {@code limit}
 * @param maxPageSize      largest {@code limit}
 * @param followWait       how long {@code GET .../log?follow=true} of a build without log waits for one to start
 * @param searchBudget     time a search of a log ({@code GET .../log/matches}) may take; then the result is partial
 */
@Validated
@ConfigurationProperties("osiris.api")
public record ApiProperties(
        @NotNull DataSize maxLogSize,
        @NotNull DataSize legacyMaxLogSize,
        @NotBlank String legacyNamespace,
        @Min(1) int defaultPageSize,
        @Min(1) int maxPageSize,
        @DefaultValue("60s") java.time.Duration followWait,
        @DefaultValue("20s") java.time.Duration searchBudget) {
}
