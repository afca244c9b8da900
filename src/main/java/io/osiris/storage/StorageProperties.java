package io.osiris.storage;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code osiris.storage.*}: where build logs are kept. With no {@code endpoint}, an embedded S3 server is started.
 *
 * @param endpoint         S3 endpoint, e.g. {@code http://rgw.example:8080}; empty = embedded server
 * @param region           S3 region (RGW accepts any)
 * @param bucket           bucket of all records; created at start when missing
 * @param keyPrefix        prefix of every key, e.g. {@code cluster-a/}
 * @param accessKey        S3 access key (from the environment or a mounted secret)
 * @param secretKey        S3 secret key (from the environment or a mounted secret)
 * @param compression      {@code gzip} (default) or {@code none}
 * @param compressionLevel gzip level 1 (fast) to 9 (small)
 * @param partSize         multipart part size in bytes; S3 needs at least 5 MiB
 * @param embedded         the embedded server used when no endpoint is set
 */
@Validated
@ConfigurationProperties("osiris.storage")
public record StorageProperties(
        URI endpoint,
        @NotBlank String region,
        @NotBlank String bucket,
        String keyPrefix,
        @NotBlank String accessKey,
        @NotBlank String secretKey,
        @NotNull Compression compression,
        @Min(1) @Max(9) int compressionLevel,
        @Min(5 * 1024 * 1024) long partSize,
        @Valid @NotNull Embedded embedded) {

    public enum Compression { gzip, none }

    /**
     * @param directory where the embedded server keeps its objects; survives restarts
     * @param port      port on 127.0.0.1; 0 picks a free one
     */
    public record Embedded(@NotNull Path directory, @Min(0) int port) {
    }

    public boolean isEmbedded() {
        return endpoint == null || endpoint.toString().isBlank();
    }
}
