package io.osiris.storage;

import java.net.URI;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 side of storage: the client, the log store and the bucket's copy of the records. */
@Configuration(proxyBeanMethods = false)
public class S3Configuration {

    @Bean
    EmbeddedS3Server embeddedS3Server(StorageProperties properties) throws Exception {
        return properties.isEmbedded() ? new EmbeddedS3Server(properties) : null;
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(StorageProperties properties, ObjectProvider<EmbeddedS3Server> embedded, MeterRegistry metrics) {
        return client(properties, properties.isEmbedded() ? embedded.getObject().endpoint() : properties.endpoint(),
                metrics);
    }

    /** The client for {@code endpoint} with the settings every S3 server we met needs; its calls are counted. */
    public static S3Client client(StorageProperties properties, URI endpoint, MeterRegistry metrics) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(properties.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(properties.accessKey(), properties.secretKey())))
                .forcePathStyle(true)
                // Ceph RGW 16 answers 400 to the SDK's default request checksums
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new UnchunkedEncodedPuts())
                        .addExecutionInterceptor(new S3RequestMetrics(metrics)))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(64))
                .build();
    }

    @Bean
    BuildKeys buildKeys(StorageProperties properties) {
        return BuildKeys.of(properties);
    }

    @Bean
    S3LogStore logStore(S3Client s3, StorageProperties properties, BuildKeys keys) {
        return new S3LogStore(s3, properties, keys);
    }

    @Bean
    S3RecordArchive recordArchive(S3Client s3, StorageProperties properties, BuildKeys keys, ObjectMapper json,
                                  io.osiris.records.HomeCluster home) {
        return new S3RecordArchive(s3, properties, keys, json, home);
    }
}
