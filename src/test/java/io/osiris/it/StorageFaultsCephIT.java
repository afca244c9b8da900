package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** On the real Ceph RGW of scripts/ceph-dev.sh: the RGW process is SIGKILLed and started again. */
class StorageFaultsCephIT extends StorageFaultsContract {

    @Override
    protected void killStorage() throws Exception {
        ceph("rgw-kill");
    }

    @Override
    protected void startStorage() throws Exception {
        ceph("rgw-start");
    }

    @Override
    protected Map<String, String> storageEnvironment(String bucket) {
        return Map.of(
                "OSIRIS_S3_ENDPOINT", required("OSIRIS_CEPH_ENDPOINT"),
                "OSIRIS_S3_ACCESS_KEY", required("OSIRIS_CEPH_ACCESS_KEY"),
                "OSIRIS_S3_SECRET_KEY", required("OSIRIS_CEPH_SECRET_KEY"),
                "OSIRIS_S3_BUCKET", bucket);
    }

    @Override
    protected String storageName() {
        return "Ceph RGW";
    }

    private static void ceph(String command) throws Exception {
        Process process = new ProcessBuilder("scripts/ceph-dev.sh", command).inheritIO().start();
        assertThat(process.waitFor()).as("scripts/ceph-dev.sh " + command).isZero();
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: run scripts/ceph-dev.sh start and source its env");
        }
        return value;
    }
}
