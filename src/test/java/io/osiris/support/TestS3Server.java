package io.osiris.support;

import java.net.ServerSocket;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server (s3proxy on a folder) that a test owns: it can be stopped, started again on the same port and
 * data, or started refusing objects above a size so that uploads fail the way a full or broken storage fails them.
 */
public final class TestS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "test-secret";

    private final Path directory;
    private final int port;
    private S3Proxy proxy;
    private BlobStoreContext context;

    public TestS3Server(Path directory) throws Exception {
        this.directory = directory;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A plain S3 client of this server, as any tool would use it. */
    public S3Client client() {
        return S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public TestS3Server start() throws Exception {
        return start(Long.MAX_VALUE);
    }

    /** Starts refusing single-part objects above {@code maxObjectBytes} (HTTP 400 EntityTooLarge). */
    public TestS3Server start(long maxObjectBytes) throws Exception {
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", directory.toString());
        context = ContextBuilder.newBuilder("filesystem").credentials(ACCESS_KEY, SECRET_KEY).overrides(overrides)
                .build(BlobStoreContext.class);
        S3Proxy.Builder builder = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(endpoint())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY);
        if (maxObjectBytes != Long.MAX_VALUE) {
            builder.maxSinglePartObjectSize(maxObjectBytes);
        }
        proxy = builder.build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        return this;
    }

    public void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            context.close();
            proxy = null;
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
