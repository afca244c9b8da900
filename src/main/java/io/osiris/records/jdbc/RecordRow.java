package io.osiris.records.jdbc;

import io.osiris.records.BuildRecord;

/** A record and the id of its row. */
record RecordRow(long id, BuildRecord record) {
}
