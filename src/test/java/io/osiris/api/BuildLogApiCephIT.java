package io.osiris.api;

import io.osiris.support.CephStorage;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The v1 REST API on a real Ceph RGW (scripts/ceph-dev.sh). */
class BuildLogApiCephIT extends BuildLogApiContract {

    @DynamicPropertySource
    static void ceph(DynamicPropertyRegistry registry) {
        CephStorage.register(registry);
    }
}
