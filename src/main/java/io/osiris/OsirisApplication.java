package io.osiris;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Osiris: keeps every build log of a cluster in Ceph (S3 API). The flow itself lives in the YAML routes. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OsirisApplication {

    public static void main(String[] args) {
        SpringApplication.run(OsirisApplication.class, args);
    }
}
