package io.osiris.api.legacy;

import io.osiris.support.CephStorage;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The legacy Osiris API on a real Ceph RGW (scripts/ceph-dev.sh). */
class LegacyObserverCephIT extends LegacyObserverContract {

    @DynamicPropertySource
    static void ceph(DynamicPropertyRegistry registry) {
        CephStorage.register(registry);
    }
}
