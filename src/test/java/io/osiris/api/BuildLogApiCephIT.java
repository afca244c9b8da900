package io.osiris.api;

import org.springframework.test.context.ActiveProfiles;

/** The v1 REST API on a real Ceph RGW (scripts/ceph-dev.sh). */
@ActiveProfiles("ceph-test")
class BuildLogApiCephIT extends BuildLogApiContract {
}
