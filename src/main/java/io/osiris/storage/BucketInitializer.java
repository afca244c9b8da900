package io.osiris.storage;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Makes sure the bucket exists: at start, and again whenever readiness is probed, so that Osiris started before
 * its storage becomes ready once storage is there. Its health is the storage part of readiness.
 */
@Component("storage")
public class BucketInitializer implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(BucketInitializer.class);

    private final S3Client s3;
    private final String bucket;
    private final Optional<EmbeddedS3Server> embedded;

    /** {@code embedded}: the embedded S3 server when no endpoint is set, still starting when this is made. */
    @Autowired
    public BucketInitializer(S3Client s3, StorageProperties properties, Optional<EmbeddedS3Server> embedded) {
        this.s3 = s3;
        this.bucket = properties.bucket();
        this.embedded = embedded;
    }

    /** For routes run by Camel JBang, whose embedded S3 server is started before its client is made. */
    public BucketInitializer(S3Client s3, StorageProperties properties) {
        this(s3, properties, Optional.empty());
    }

    @EventListener(ContextRefreshedEvent.class)
    public void createBucketAtStart() {
        try {
            embedded.ifPresent(EmbeddedS3Server::awaitStarted);
            ensureBucket();
        } catch (RuntimeException e) {
            LOG.warn("Bucket {} is not reachable yet ({}); readiness stays down until it is", bucket, e.getMessage());
        }
    }

    @Override
    public Health health() {
        Optional<String> notStarted = embedded.flatMap(EmbeddedS3Server::startFailure);
        if (notStarted.isPresent()) {
            return Health.down().withDetail("bucket", bucket).withDetail("error", notStarted.get()).build();
        }
        try {
            ensureBucket();
            return Health.up().withDetail("bucket", bucket).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("bucket", bucket).withDetail("error", e.getMessage()).build();
        }
    }

    private void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            LOG.info("Creating bucket {}", bucket);
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException createdMeanwhile) {
                // a readiness probe and the start both found it missing: one of them made it
            }
        }
    }
}
