package io.osiris.it;

import io.osiris.support.TestS3Server;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** On s3proxy (a server of its own in the test process, same port across stops): stopped and started again. */
class StorageFaultsIT extends StorageFaultsContract {

    private static TestS3Server s3;

    @BeforeAll
    static void s3proxy() throws Exception {
        s3 = new TestS3Server(Files.createTempDirectory("osiris-faults-s3")).start();
    }

    @AfterAll
    static void stopS3proxy() throws Exception {
        s3.close();
    }

    @Override
    protected void killStorage() throws Exception {
        s3.stop();
    }

    @Override
    protected void startStorage() throws Exception {
        if (!running()) {
            s3.start();
        }
    }

    private static boolean running() {
        try (java.net.Socket probe = new java.net.Socket(s3.endpoint().getHost(), s3.endpoint().getPort())) {
            return true;
        } catch (java.io.IOException down) {
            return false;
        }
    }

    @Override
    protected Map<String, String> storageEnvironment(String bucket) {
        return Map.of(
                "OSIRIS_S3_ENDPOINT", s3.endpoint().toString(),
                "OSIRIS_S3_ACCESS_KEY", TestS3Server.ACCESS_KEY,
                "OSIRIS_S3_SECRET_KEY", TestS3Server.SECRET_KEY,
                "OSIRIS_S3_BUCKET", bucket);
    }

    @Override
    protected String storageName() {
        return "s3proxy";
    }
}
