package io.osiris.it;

import java.util.Map;

/** On the embedded S3 server. */
class LargeLogSmallHeapIT extends LargeLogSmallHeapContract {

    @Override
    protected Map<String, String> storageEnvironment() {
        return Map.of("OSIRIS_S3_ENDPOINT", "");
    }
}
