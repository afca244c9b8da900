package io.osiris.build;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.osiris.error.OsirisException;
import io.osiris.storage.BuildKeys;
import io.osiris.storage.BuildRecordStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Lists build records with filters and stateless pagination: the {@code continue} token is the storage key to go
 * on after, so concurrent readers never disturb each other and no log is read to list.
 */
@Component("buildSearch")
public class BuildSearch {

    /** At most this many keys are scanned for one page; a selective filter then returns a short page and a token. */
    private static final int SCAN_LIMIT = 10_000;

    private final BuildRecordStore records;
    private final BuildKeys keys;

    public BuildSearch(BuildRecordStore records, BuildKeys keys) {
        this.records = records;
        this.keys = keys;
    }

    public record Label(String key, String value) {
        public static Label parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw OsirisException.badRequest("label", "label must be key=value, got '" + text + "'");
            }
            return new Label(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    public record Query(String namespace, Phase phase, Label label, Instant since, Instant until, int limit,
                        String continueToken) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Page(List<BuildRecord> items, @JsonProperty("continue") String continueToken) {
    }

    public Page list(Query query) {
        String scope = query.namespace() == null ? keys.buildsRoot() : keys.namespacePrefix(query.namespace());
        String startAfter = query.continueToken() == null ? null : decode(query.continueToken(), scope);
        BuildRecordStore.RecordPage page = records.page(query.namespace(), startAfter, query.limit(), SCAN_LIMIT,
                record -> matches(query, record));
        return new Page(page.items(), page.continueAfter() == null ? null : encode(page.continueAfter()));
    }

    private static boolean matches(Query q, BuildRecord r) {
        if (q.phase() != null && q.phase() != r.phase()) {
            return false;
        }
        if (q.label() != null && (r.labels() == null || !q.label().value().equals(r.labels().get(q.label().key())))) {
            return false;
        }
        Instant started = r.startedOrRecorded();
        if (q.since() != null && (started == null || started.isBefore(q.since()))) {
            return false;
        }
        return q.until() == null || (started != null && started.isBefore(q.until()));
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token, String scope) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (key.startsWith(scope)) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw OsirisException.badRequest("continue", "continue token is not valid for this list");
    }
}
