package io.osiris.buildlog;

import io.osiris.records.BuildRef;
import io.osiris.records.LogInfo;
import java.nio.file.Path;

/** A log written to the spool (already compressed as it will be stored) and waiting for its upload. */
public record SpooledLog(String id, Path file, BuildRef build, LogInfo log) {
}
