package io.osiris.api.legacy;

import io.osiris.api.ApiProperties;
import io.osiris.records.BuildRecords;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Legacy calls name a build by id only. When a legacy update carried a namespace (inside its Build object or
 * Event), the id is remembered with the records so that the later log upload and reads find the same build.
 */
@Component("legacyAliases")
public class LegacyAliases {

    private final BuildRecords records;
    private final String defaultNamespace;

    public LegacyAliases(BuildRecords records, ApiProperties api) {
        this.records = records;
        this.defaultNamespace = api.legacyNamespace();
    }

    public void remember(String id, String namespace) {
        records.rememberLegacyId(id, namespace);
    }

    /** The namespace of a legacy id: the one it was last recorded in, else the configured default. */
    public String namespaceOf(String id) {
        return recorded(id).orElse(defaultNamespace);
    }

    /** The namespace a legacy id was last recorded in, if it was. */
    public Optional<String> recorded(String id) {
        return records.legacyNamespace(id);
    }
}
