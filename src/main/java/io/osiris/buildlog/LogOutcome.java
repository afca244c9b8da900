package io.osiris.buildlog;

/** What became of a log given to the archive; the doors turn it into their status (HTTP 201, 200, 202). */
public enum LogOutcome {
    /** Uploaded and recorded. */
    STORED,
    /** The same bytes were stored already: nothing uploaded. */
    UNCHANGED,
    /** Storage was unavailable: kept in the spool, retried until stored. */
    PENDING
}
