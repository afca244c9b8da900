package io.osiris.buildlog;

import io.osiris.build.BuildRecord;
import io.osiris.build.LogInfo;
import io.osiris.observability.LogMetrics;
import io.osiris.storage.BuildRecordStore;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps around the S3 upload of a spooled log (route {@code log-archive-upload}): decide whether the upload
 * is needed, prepare the aws2-s3 headers, and afterwards point the build record at the log or keep the spool file.
 */
@Component("logArchive")
public class LogArchive {

    /** Exchange property holding the {@link SpooledLog} while the body is the spool file. */
    public static final String SPOOLED = "osirisSpooledLog";
    private static final String STORED = "osirisStoredLog";
    /** Header: true when the log must be uploaded, false when the same bytes are stored already. */
    public static final String UPLOAD_NEEDED = "OsirisUploadNeeded";
    /**
     * Exchange property set by the log-archive routes: the build record a log belongs to (read before spooling in
     * log-archive-store, before opening in log-archive-open). The doors read it to shape their replies.
     */
    public static final String RECORD = "osirisBuildRecord";

    private static final Logger LOG = LoggerFactory.getLogger(LogArchive.class);

    private final BuildRecordStore records;
    private final LogSpooler spooler;
    private final LogMetrics metrics;

    public LogArchive(BuildRecordStore records, LogSpooler spooler, LogMetrics metrics) {
        this.records = records;
        this.spooler = spooler;
        this.metrics = metrics;
    }

    /** Body in: a {@link SpooledLog}. Body out: its file, with the aws2-s3 headers set. */
    public void prepareUpload(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        SpooledLog spooled = exchange.getMessage().getMandatoryBody(SpooledLog.class);
        exchange.setProperty(SPOOLED, spooled);
        LogInfo log = spooled.log();
        Optional<LogInfo> sameStored = storedLog(spooled, exchange.getProperty(RECORD, BuildRecord.class))
                .filter(stored -> stored.sha256().equals(log.sha256()) && stored.key().equals(log.key()))
                .filter(stored -> records.exists(stored.key()));
        sameStored.ifPresent(stored -> exchange.setProperty(STORED, stored));
        var message = exchange.getMessage();
        message.setHeader(UPLOAD_NEEDED, sameStored.isEmpty());
        message.setBody(spooled.file().toFile());
        message.setHeader(AWS2S3Constants.KEY, log.key());
        message.setHeader(AWS2S3Constants.CONTENT_LENGTH, log.storedSize());
        message.setHeader(AWS2S3Constants.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (log.isGzip()) {
            message.setHeader(AWS2S3Constants.CONTENT_ENCODING, "gzip");
        }
    }

    /** The log is durable: the record points at it, the spool file goes. Body out: the stored {@link LogInfo}. */
    public void completeUpload(Exchange exchange) {
        SpooledLog spooled = exchange.getProperty(SPOOLED, SpooledLog.class);
        boolean uploaded = exchange.getMessage().getHeader(UPLOAD_NEEDED, Boolean.class);
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
        exchange.getMessage().removeHeaders("CamelAwsS3*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, uploaded ? 201 : 200);
        exchange.getMessage().setBody(stored);
    }

    /** The upload failed: the spool file stays and is retried. Body out: the pending {@link LogInfo}. */
    public void keepForRetry(Exchange exchange) {
        SpooledLog spooled = exchange.getProperty(SPOOLED, SpooledLog.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        spooler.release(spooled.id());
        metrics.uploadFailed();
        LOG.warn("Log of {} kept in the spool ({}), upload will be retried: {}", spooled.build(),
                spooled.file(), cause == null ? "unknown error" : cause.getMessage());
        exchange.getMessage().removeHeaders("CamelAwsS3*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        exchange.getMessage().setBody(spooled.log().asPending());
    }

    /** The log stored so far: from the record read before spooling when there was one, else read now (retries). */
    private Optional<LogInfo> storedLog(SpooledLog spooled, BuildRecord known) {
        Optional<BuildRecord> record = known != null && known.ref().equals(spooled.build())
                ? Optional.of(known) : records.exact(spooled.build());
        return record.filter(BuildRecord::hasLog).map(BuildRecord::log);
    }
}
