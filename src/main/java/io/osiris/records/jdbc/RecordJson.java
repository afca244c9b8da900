package io.osiris.records.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.records.BuildRecord;

/**
 * A record as its row keeps it: the same JSON document as the bucket's build.json, next to its cluster column (rows
 * written before clusters were known hold no cluster in their document; the migration gave their column one).
 */
final class RecordJson {

    private final ObjectMapper json;

    RecordJson(ObjectMapper json) {
        this.json = json;
    }

    String write(BuildRecord record) {
        try {
            return json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("build record not serialisable: " + record.ref(), e);
        }
    }

    /** The record of a row read with its {@code cluster} and {@code record} columns. */
    BuildRecord read(java.sql.ResultSet row, int rowNum) throws java.sql.SQLException {
        return read(row.getString("record")).inClusterIfNone(row.getString("cluster"));
    }

    private BuildRecord read(String text) {
        try {
            return json.readValue(text, BuildRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable build record row", e);
        }
    }
}
