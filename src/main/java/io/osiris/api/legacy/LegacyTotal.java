package io.osiris.api.legacy;

import io.osiris.records.BuildRecords;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code total} of the legacy pages. Counting every record costs a scan that grows with the database (about
 * 90 ms at a million rows), so above {@link #EXACT_UP_TO} records the total is counted again in the background at
 * most every {@link #REFRESH_MILLIS} and a page answers with the last count; below it, every page counts.
 */
final class LegacyTotal {

    static final long EXACT_UP_TO = 100_000;
    static final long REFRESH_MILLIS = 5_000;

    private final BuildRecords records;
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile long last = -1;
    private volatile long countedAt;

    LegacyTotal(BuildRecords records) {
        this.records = records;
    }

    long get() {
        long known = last;
        if (known < EXACT_UP_TO) {
            return count();
        }
        if (System.currentTimeMillis() - countedAt > REFRESH_MILLIS && counting.compareAndSet(false, true)) {
            CompletableFuture.runAsync(() -> {
                try {
                    count();
                } finally {
                    counting.set(false);
                }
            });
        }
        return known;
    }

    private long count() {
        long counted = records.count();
        last = counted;
        countedAt = System.currentTimeMillis();
        return counted;
    }
}
