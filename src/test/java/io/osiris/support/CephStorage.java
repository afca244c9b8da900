package io.osiris.support;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Points a test's Osiris at the Ceph RGW started by scripts/ceph-dev.sh, in a bucket of its own for this run. */
public final class CephStorage {

    private static final String BUCKET = "osiris-it-" + System.currentTimeMillis();

    private CephStorage() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("osiris.storage.endpoint", () -> required("OSIRIS_CEPH_ENDPOINT"));
        registry.add("osiris.storage.access-key", () -> required("OSIRIS_CEPH_ACCESS_KEY"));
        registry.add("osiris.storage.secret-key", () -> required("OSIRIS_CEPH_SECRET_KEY"));
        registry.add("osiris.storage.bucket", () -> BUCKET);
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run scripts/ceph-dev.sh start and source its env");
        }
        return value;
    }
}
