package io.osiris;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Osiris: keeps every build log of a cluster in Ceph (S3 API). The flow itself lives in the YAML routes. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OsirisApplication {

    /** The JDK HTTP client's read buffer (the Kubernetes client's transport), unless set on the command line. */
    static final String HTTP_CLIENT_BUFFER = "jdk.httpclient.bufsize";
    /**
     * 64 KiB instead of the JDK's 16 KiB: a pulled build log arrives in a quarter of the buffers, each handed from
     * the client's reader to its executor to the capture: 30-40 % less CPU per GiB read (docs/benchmarks.md).
     * Larger buffers gain less, and each open connection keeps one (TLS: each client a pool of up to three).
     */
    static final int HTTP_CLIENT_BUFFER_BYTES = 64 * 1024;

    public static void main(String[] args) {
        largerHttpClientBuffers();
        SpringApplication.run(OsirisApplication.class, args);
    }

    /** Read once, when the JDK HTTP client is first used: so set before anything starts. */
    static void largerHttpClientBuffers() {
        if (System.getProperty(HTTP_CLIENT_BUFFER) == null) {
            System.setProperty(HTTP_CLIENT_BUFFER, String.valueOf(HTTP_CLIENT_BUFFER_BYTES));
        }
    }
}
