package io.osiris.it;

import java.util.Map;

/** On a real Ceph RGW (scripts/ceph-dev.sh). */
class LargeLogSmallHeapCephIT extends LargeLogSmallHeapContract {

    @Override
    protected Map<String, String> storageEnvironment() {
        return Map.of(
                "OSIRIS_S3_ENDPOINT", System.getenv("OSIRIS_CEPH_ENDPOINT"),
                "OSIRIS_S3_ACCESS_KEY", System.getenv("OSIRIS_CEPH_ACCESS_KEY"),
                "OSIRIS_S3_SECRET_KEY", System.getenv("OSIRIS_CEPH_SECRET_KEY"),
                "OSIRIS_S3_BUCKET", "osiris-large-" + System.nanoTime());
    }
}
