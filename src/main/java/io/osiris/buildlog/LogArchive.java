package io.osiris.buildlog;

import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRecords;
import io.osiris.records.LogInfo;
import io.osiris.records.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps around the upload of a spooled log (route {@code log-archive-upload}): decide whether the upload is
 * needed, upload, and afterwards point the build record at the log or keep the spool file for a retry.
 */
@Component("logArchive")
public class LogArchive {

    /** Exchange property holding the {@link SpooledLog} of the upload. */
    public static final String SPOOLED = "osirisSpooledLog";
    private static final String STORED = "osirisStoredLog";
    /** Header: true when the log must be uploaded, false when the same bytes are stored already. */
    public static final String UPLOAD_NEEDED = "OsirisUploadNeeded";
    /** Exchange property: true when the upload is a retry of a spooled leftover, not part of the request. */
    public static final String RETRY = "osirisLogRetry";
    /** Exchange property: the {@link LogOutcome} of a store, for the doors to answer with. */
    public static final String OUTCOME = "osirisLogOutcome";
    /**
     * Exchange property set by the log-archive routes: the build record a log belongs to (read before spooling in
     * log-archive-store, before opening in log-archive-open). The doors read it to shape their replies.
     */
    public static final String RECORD = "osirisBuildRecord";
    /** Exchange property: true when a read is answered from the spool (the log is not stored yet). */
    public static final String FROM_SPOOL = "osirisLogFromSpool";

    private static final Logger LOG = LoggerFactory.getLogger(LogArchive.class);

    private final BuildRecords records;
    private final LogStore logs;
    private final LogSpooler spooler;
    private final LogMetrics metrics;

    public LogArchive(BuildRecords records, LogStore logs, LogSpooler spooler, LogMetrics metrics) {
        this.records = records;
        this.logs = logs;
        this.spooler = spooler;
        this.metrics = metrics;
    }

    /** Body: a {@link SpooledLog}, kept. Sets {@link #UPLOAD_NEEDED}. */
    public void prepareUpload(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        SpooledLog spooled = exchange.getMessage().getMandatoryBody(SpooledLog.class);
        exchange.setProperty(SPOOLED, spooled);
        LogInfo log = spooled.log();
        Optional<LogInfo> stored = storedLog(spooled, exchange.getProperty(RECORD, BuildRecord.class));
        Optional<LogInfo> sameOrNewer = stored
                .filter(s -> (s.sha256().equals(log.sha256()) && s.key().equals(log.key()))
                        || (exchange.getProperty(RETRY, false, Boolean.class) && supersedes(s, spooled)))
                .filter(s -> logs.exists(s.key()));
        sameOrNewer.ifPresent(s -> exchange.setProperty(STORED, s));
        exchange.getMessage().setHeader(UPLOAD_NEEDED, sameOrNewer.isEmpty());
    }

    /**
     * On a retry (route log-archive-retry), a log stored after this spooled one was received is newer (a later upload of the same build got through
     * while this one waited for storage): the spooled one must not overwrite it.
     */
    private static boolean supersedes(LogInfo stored, SpooledLog spooled) {
        return stored.storedAt() != null && spooled.receivedAt().filter(stored.storedAt()::isAfter).isPresent();
    }

    /** Stores the spool file as the build's log object (multipart when large). */
    public void upload(Exchange exchange) {
        SpooledLog spooled = exchange.getProperty(SPOOLED, SpooledLog.class);
        LogInfo log = spooled.log();
        logs.put(log.key(), spooled.file(), log.storedSize(), log.encoding());
    }

    /** The log is durable: the record points at it, the spool file goes. Body out: the stored {@link LogInfo}. */
    public void completeUpload(Exchange exchange) {
        SpooledLog spooled = exchange.getProperty(SPOOLED, SpooledLog.class);
        boolean uploaded = exchange.getMessage().getHeader(UPLOAD_NEEDED, Boolean.class);
        exchange.getMessage().removeHeader(UPLOAD_NEEDED);
        LogInfo stored;
        if (uploaded) {
            BuildRecord record = records.recordLog(spooled.build(), spooled.log());
            stored = record.log();
            metrics.stored(record, stored);
        } else {
            stored = exchange.getProperty(STORED, LogInfo.class);
            metrics.unchanged();
        }
        spooler.delete(spooled);
        LOG.info("Log of {} {}: {} bytes ({} stored), sha256 {}", spooled.build(),
                uploaded ? "stored" : "unchanged", stored.size(), stored.storedSize(), stored.sha256());
        exchange.setProperty(OUTCOME, uploaded ? LogOutcome.STORED : LogOutcome.UNCHANGED);
        exchange.getMessage().setBody(stored);
    }

    /** Storage or the build database failed: the spool file stays and is retried. Body out: the pending {@link LogInfo}. */
    public void keepForRetry(Exchange exchange) {
        SpooledLog spooled = exchange.getProperty(SPOOLED, SpooledLog.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        spooler.release(spooled.id());
        metrics.uploadFailed();
        LOG.warn("Log of {} kept in the spool ({}), upload will be retried: {}", spooled.build(),
                spooled.file(), cause == null ? "unknown error" : cause.getMessage());
        exchange.getMessage().removeHeader(UPLOAD_NEEDED);
        exchange.setProperty(OUTCOME, LogOutcome.PENDING);
        exchange.getMessage().setBody(spooled.log().asPending());
    }

    /**
     * Before a read: a log received and not yet stored (kept in the spool while storage is away, or still uploading)
     * is answered from its spool file, so a client never misses a log it had acknowledged. Sets {@link #RECORD} (with
     * the pending log) and {@link #FROM_SPOOL}, body the spool file's bytes; otherwise changes nothing.
     */
    public void openPending(Exchange exchange) {
        BuildRecord record = records.require(exchange.getProperty("buildRef", io.osiris.records.BuildRef.class));
        Optional<SpooledLog> pending = spooler.pending(record.ref());
        if (pending.isEmpty()) {
            return;
        }
        InputStream in;
        try {
            in = Files.newInputStream(pending.get().file()); // open, the file stays readable once the upload deletes it
        } catch (IOException stored) {
            return; // stored meanwhile: read from storage
        }
        exchange.setProperty(RECORD, record.withLog(pending.get().log().asPending(), record.updatedAt()));
        exchange.setProperty(FROM_SPOOL, true);
        exchange.getMessage().setBody(in);
    }

    /** Body of build-get: the record, with the log received and not yet stored in place of an older one. */
    public BuildRecord withPendingLog(BuildRecord record) {
        return spooler.pending(record.ref())
                .map(pending -> record.withLog(pending.log().asPending(), record.updatedAt()))
                .orElse(record);
    }

    /** The log stored so far: from the record read before spooling when there was one, else read now (retries). */
    private Optional<LogInfo> storedLog(SpooledLog spooled, BuildRecord known) {
        Optional<BuildRecord> record = known != null && known.ref().equals(spooled.build())
                ? Optional.of(known) : records.exact(spooled.build());
        return record.filter(BuildRecord::hasLog).map(BuildRecord::log);
    }
}
