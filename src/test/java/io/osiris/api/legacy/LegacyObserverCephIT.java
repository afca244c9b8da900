package io.osiris.api.legacy;

import org.springframework.test.context.ActiveProfiles;

/** The legacy Osiris API on a real Ceph RGW (scripts/ceph-dev.sh). */
@ActiveProfiles("ceph-test")
class LegacyObserverCephIT extends LegacyObserverContract {
}
