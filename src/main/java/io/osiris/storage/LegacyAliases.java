package io.osiris.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.api.ApiProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Legacy calls name a build by id only. When a legacy update carried a namespace (inside its Build object or
 * Event), the id is remembered here so that the later log upload and reads find the same build.
 */
@Component("legacyAliases")
public class LegacyAliases {

    private final S3Client s3;
    private final String bucket;
    private final BuildKeys keys;
    private final ObjectMapper json;
    private final String defaultNamespace;

    public LegacyAliases(S3Client s3, StorageProperties storage, BuildKeys keys, ObjectMapper json, ApiProperties api) {
        this.s3 = s3;
        this.bucket = storage.bucket();
        this.keys = keys;
        this.json = json;
        this.defaultNamespace = api.legacyNamespace();
    }

    public record Alias(String namespace) {
    }

    public void remember(String id, String namespace) {
        try {
            byte[] body = json.writeValueAsBytes(new Alias(namespace));
            s3.putObject(b -> b.bucket(bucket).key(keys.legacyAlias(id)).contentType("application/json"),
                    RequestBody.fromBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespace of a legacy id: the one it was last recorded in, else the configured default. */
    public String namespaceOf(String id) {
        return recorded(id).orElse(defaultNamespace);
    }

    /** The namespace a legacy id was last recorded in, if it was. */
    public java.util.Optional<String> recorded(String id) {
        try {
            byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(keys.legacyAlias(id))).asByteArray();
            return java.util.Optional.of(json.readValue(body, Alias.class).namespace());
        } catch (NoSuchKeyException e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
