package io.osiris.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.storage.StorageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole service on a random port. Without a profile it runs on its embedded S3 server (s3proxy on the local
 * file system), as the README's run command starts it; the *CephIT classes point it at a real Ceph RGW.
 * Test classes of one kind share one running service and keep apart by namespace.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "osiris.storage.embedded.directory=${java.io.tmpdir}/osiris-test/${random.uuid}/s3",
        "osiris.spool.directory=${java.io.tmpdir}/osiris-test/${random.uuid}/spool"})
public abstract class RunningOsiris {

    @LocalServerPort
    protected int port;

    @Autowired
    protected S3Client s3;

    @Autowired
    protected StorageProperties storage;

    protected OsirisClient client;
    protected final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void client() {
        client = new OsirisClient(port);
    }

    protected JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The objects stored under a prefix of the bucket, read with a plain S3 client (without the folder markers
     * that the embedded server's file system lists).
     */
    protected List<String> storedKeys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(storage.bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).filter(key -> !key.endsWith("/")).toList();
    }

    protected static String buildJson(String phase) {
        return "{\"phase\":\"" + phase + "\"}";
    }
}
