package io.osiris.api.legacy;

import io.osiris.build.BuildInfo;
import io.osiris.build.BuildRef;

/** A legacy started/completed call, read into the domain. */
public record LegacyUpdate(String id, BuildRef ref, BuildInfo info) {
}
