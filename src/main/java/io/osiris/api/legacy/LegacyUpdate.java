package io.osiris.api.legacy;

import io.osiris.records.BuildInfo;
import io.osiris.records.BuildRef;

/** A legacy started/completed call, read into the domain. */
public record LegacyUpdate(String id, BuildRef ref, BuildInfo info) {
}
