package io.osiris.redaction;

import java.util.Map;

/** A log stream whose secrets were masked: what was masked, by rule, once it has been read to its end. */
public interface MaskedLog {

    Map<String, Long> masked();
}
