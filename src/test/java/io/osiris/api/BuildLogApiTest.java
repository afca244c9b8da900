package io.osiris.api;

/** The v1 REST API on the embedded S3 server. */
class BuildLogApiTest extends BuildLogApiContract {
}
