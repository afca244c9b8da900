package io.osiris.records.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildRecord;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * The {@code continue} token of a list: the sort key (namespace, name, uid) of the last record of the page before,
 * base64url JSON. Keyset pagination: a token stays valid and no record is skipped or repeated while others are
 * added or removed.
 */
record ListCursor(String namespace, String name, String uid) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ListCursor after(BuildRecord last) {
        return new ListCursor(last.namespace(), last.name(), RecordColumns.uid(last.ref()));
    }

    String token() {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(JSON.writeValueAsBytes(List.of(namespace, name, uid)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cursor of a token given back by a client; 400 when it was not made for a list of this namespace. */
    static ListCursor parse(String token, String namespace) {
        try {
            List<String> key = JSON.readValue(Base64.getUrlDecoder().decode(token), new TypeReference<>() { });
            if (key.size() == 3 && key.stream().allMatch(java.util.Objects::nonNull)
                    && (namespace == null || namespace.equals(key.get(0)))) {
                return new ListCursor(key.get(0), key.get(1), key.get(2));
            }
        } catch (IOException | IllegalArgumentException e) {
            // reported below
        }
        throw OsirisException.badRequest("continue", "continue token is not valid for this list");
    }
}
