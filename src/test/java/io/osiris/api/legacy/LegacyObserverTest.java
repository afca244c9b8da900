package io.osiris.api.legacy;

/** The legacy Osiris API on the embedded S3 server. */
class LegacyObserverTest extends LegacyObserverContract {
}
