package io.osiris.storage;

import java.net.URI;
import java.nio.file.Files;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * An S3-compatible server (s3proxy over the local file system) for running without Ceph. Osiris talks to it through
 * the same S3 client and Camel endpoints as to Ceph RGW; its objects stay on disk across restarts.
 */
public class EmbeddedS3Server implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Server.class);

    private final S3Proxy proxy;
    private final BlobStoreContext blobStoreContext;
    private final URI endpoint;

    public EmbeddedS3Server(StorageProperties properties) throws Exception {
        StorageProperties.Embedded embedded = properties.embedded();
        Files.createDirectories(embedded.directory());
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", embedded.directory().toAbsolutePath().toString());
        blobStoreContext = ContextBuilder.newBuilder("filesystem")
                .credentials(properties.accessKey(), properties.secretKey())
                .overrides(overrides)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(blobStoreContext.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + embedded.port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, properties.accessKey(), properties.secretKey())
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("embedded S3 server did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        LOG.info("Embedded S3 server at {} keeps its data in {}", endpoint, embedded.directory().toAbsolutePath());
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void destroy() throws Exception {
        proxy.stop();
        blobStoreContext.close();
    }
}
