package io.osiris.records;

import io.osiris.error.OsirisException;
import java.util.List;
import java.util.Optional;

/**
 * The build records every door reads and writes: one small seam with one implementation ({@code records.jdbc}).
 * Failures of the store underneath surface as {@code STORAGE_UNAVAILABLE}, never as "not found".
 */
public interface BuildRecords {

    /** The record of exactly this uid, or with no uid the newest record of that name. */
    Optional<BuildRecord> find(BuildRef ref);

    /** The record stored for exactly this ref; a null uid means the record kept without uid. */
    Optional<BuildRecord> exact(BuildRef ref);

    /**
     * Records build info. Without a uid the newest record of that name is updated (or one is created); a log already
     * stored is always kept.
     */
    BuildRecord saveInfo(BuildRef ref, BuildInfo info);

    /** Points the record at its newly stored log. */
    BuildRecord recordLog(BuildRef ref, LogInfo log);

    /**
     * Deletes the records (and their logs) of a name, or only the one of the given uid; 404 when none, 409 when one
     * of them is on legal hold (then nothing is deleted).
     */
    List<BuildRecord> delete(BuildRef ref);

    /**
     * Deletes exactly this record and its log (a null uid: the record kept without uid), unless it is on legal hold
     * now. Returns the deleted record; empty when it is gone already or on hold.
     */
    Optional<BuildRecord> deleteUnlessHeld(BuildRef ref);

    /** Places the record on legal hold ({@code hold}) or releases it (null); 404 when there is no such record. */
    BuildRecord hold(BuildRef ref, BuildRecord.LegalHold hold);

    /** One page of records matching a query, in (namespace, name, uid) order. */
    BuildQuery.Page list(BuildQuery query);

    /** Records over all namespaces in (namespace, name, uid) order, from a position: the legacy pages. */
    List<BuildRecord> slice(long offset, int limit);

    /** How many records there are. */
    long count();

    /** Remembers the namespace a legacy build id was recorded in. */
    void rememberLegacyId(String id, String namespace);

    /** The namespace a legacy id was last recorded in, if it was. */
    Optional<String> legacyNamespace(String id);

    default BuildRecord require(BuildRef ref) {
        return find(ref).orElseThrow(() -> OsirisException.notFound("build " + ref + " is not known"));
    }

    /** The record whose log is asked for; 404 when the build or its log is missing. */
    default BuildRecord requireLog(BuildRef ref) {
        BuildRecord record = require(ref);
        if (!record.hasLog()) {
            throw OsirisException.notFound("build " + ref + " has no stored log");
        }
        return record;
    }
}
