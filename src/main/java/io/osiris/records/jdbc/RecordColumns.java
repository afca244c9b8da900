package io.osiris.records.jdbc;

import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRef;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** How a record maps to the columns of its row. */
final class RecordColumns {

    private RecordColumns() {
    }

    /** The uid column: '' for a record kept without uid (so that the unique key covers it). */
    static String uid(BuildRef ref) {
        return ref.uid() == null ? "" : ref.uid();
    }

    static String phase(BuildRecord record) {
        return record.phase() == null ? null : record.phase().name();
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static OffsetDateTime startedAt(BuildRecord record) {
        return time(record.startedOrRecorded());
    }
}
