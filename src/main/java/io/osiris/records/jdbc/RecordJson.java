package io.osiris.records.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.records.BuildRecord;

/** A record as its row keeps it: the same JSON document as the bucket's build.json. */
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

    BuildRecord read(String text) {
        try {
            return json.readValue(text, BuildRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable build record row", e);
        }
    }
}
