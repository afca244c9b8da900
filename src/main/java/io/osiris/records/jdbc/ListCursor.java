package io.osiris.records.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildRecord;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * The {@code continue} token of a list: the sort key (namespace, name, uid, cluster, and the start time in a
 * newest-first list) of the last record of the page before, base64url JSON. Keyset pagination: a token stays valid and no record is skipped or repeated while others are
 * added or removed.
 */
record ListCursor(String namespace, String name, String uid, String cluster, java.time.Instant startedAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ListCursor after(BuildRecord last, boolean newestFirst) {
        return new ListCursor(last.namespace(), last.name(), RecordColumns.uid(last.ref()), last.cluster(),
                newestFirst ? last.startedOrRecorded() : null);
    }

    String token() {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(JSON.writeValueAsBytes(startedAt == null ? List.of(namespace, name, uid, cluster)
                            : List.of(namespace, name, uid, cluster, startedAt.toString())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cursor of a token given back by a client; 400 when it was not made for a list of this namespace. */
    static ListCursor parse(String token, String namespace, String cluster, boolean newestFirst) {
        try {
            List<String> key = JSON.readValue(Base64.getUrlDecoder().decode(token), new TypeReference<>() { });
            if (key.size() == (newestFirst ? 5 : 4) && key.stream().allMatch(java.util.Objects::nonNull)
                    && (namespace == null || namespace.equals(key.get(0)))
                    && (cluster == null || cluster.equals(key.get(3)))) {
                return new ListCursor(key.get(0), key.get(1), key.get(2), key.get(3),
                        newestFirst ? java.time.Instant.parse(key.get(4)) : null);
            }
        } catch (IOException | IllegalArgumentException | java.time.DateTimeException e) {
            // reported below
        }
        throw OsirisException.badRequest("continue", "continue token is not valid for this list");
    }
}
