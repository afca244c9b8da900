package io.osiris.api;

import io.osiris.records.BuildRecord;
import io.osiris.records.LogInfo;
import io.osiris.buildlog.LogArchive;
import io.osiris.buildlog.LogOutcome;
import io.osiris.buildlog.LogView;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Shapes a stored log into the HTTP reply of {@code GET .../log}: the gzip bytes as they are for clients that accept
 * gzip, otherwise decompressed, one byte range ({@code Range}, 206) or the last lines ({@code tailLines}).
 */
@Component("logHttpReplies")
public class LogHttpReplies {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    /** The status of a log upload: 201 stored, 200 unchanged, 202 accepted and kept in the spool for a retry. */
    public void stored(Exchange exchange) {
        LogOutcome outcome = exchange.getProperty(LogArchive.OUTCOME, LogOutcome.class);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, switch (outcome) {
            case STORED -> 201;
            case UNCHANGED -> 200;
            case PENDING -> 202;
        });
    }

    public void reply(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        InputStream stored = exchange.getMessage().getMandatoryBody(InputStream.class);
        try {
            shape(exchange, stored);
            if ("true".equals(exchange.getMessage().getHeader(HeadRequests.HEADER, String.class))) {
                // HEAD: the headers of the GET reply, the log is not read
                org.apache.camel.util.IOHelper.close(stored);
                exchange.getMessage().setBody("");
                if (exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE) == null) {
                    exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200); // not 204: the log exists
                }
            }
        } catch (RuntimeException e) {
            org.apache.camel.util.IOHelper.close(stored); // give the storage connection back
            throw e;
        }
    }

    private void shape(Exchange exchange, InputStream stored) {
        Message message = exchange.getMessage();
        LogInfo log = exchange.getProperty(LogArchive.RECORD, BuildRecord.class).log();
        String tailLines = message.getHeader("tailLines", String.class);
        String range = message.getHeader("Range", String.class);
        String acceptEncoding = message.getHeader("Accept-Encoding", String.class);

        message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        message.setHeader("Accept-Ranges", "bytes");
        message.setHeader("X-Osiris-Log-Sha256", log.sha256());
        message.setHeader("X-Osiris-Log-Size", log.size());
        if (Boolean.TRUE.equals(log.pending())) {
            message.setHeader("X-Osiris-Log-Pending", "true"); // answered from the spool, not stored yet
        }
        message.removeHeader(Exchange.CONTENT_ENCODING);
        // Camel must not gzip the reply itself: either the stored gzip passes through or the log goes out plain
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, Boolean.TRUE);

        message.setHeader("X-Osiris-Log-Lines", log.lines());
        String fromLine = message.getHeader("fromLine", String.class);
        String lineCount = message.getHeader("lineCount", String.class);
        if (fromLine != null || lineCount != null) {
            // a window of lines, for viewers that show a part of a long log
            long from = fromLine == null ? 1 : positive("fromLine", fromLine);
            long count = lineCount == null ? Long.MAX_VALUE : positive("lineCount", lineCount);
            message.setBody(LogView.lines(LogView.decoded(stored, log), from, count));
            return;
        }
        if (tailLines != null && !tailLines.isEmpty()) {
            message.setBody(LogView.tail(LogView.decoded(stored, log), log.lines(), positive("tailLines", tailLines)));
            return;
        }
        long[] span = range == null ? null : span(range, log.size());
        if (span != null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 206);
            message.setHeader("Content-Range", "bytes " + span[0] + "-" + (span[0] + span[1] - 1) + "/" + log.size());
            message.setBody(LogView.range(LogView.decoded(stored, log), span[0], span[1]));
            return;
        }
        if (log.isGzip() && acceptsGzip(acceptEncoding)) {
            message.setHeader(Exchange.CONTENT_ENCODING, "gzip");
            message.setBody(stored);
            return;
        }
        message.setBody(LogView.decoded(stored, log));
    }

    /** {offset, length} of a single {@code bytes=} range, null when the header is not one we serve (RFC 9110). */
    private static long[] span(String header, long size) {
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            long start;
            long end;
            if (m.group(1).isEmpty()) { // suffix: the last N bytes
                long n = Long.parseLong(m.group(2));
                start = Math.max(0, size - n);
                end = size - 1;
                if (n == 0) {
                    throw unsatisfiable(header, size);
                }
            } else {
                start = Long.parseLong(m.group(1));
                end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
                if (end < start && !m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
                    return null; // invalid range: ignored, the whole log is sent
                }
            }
            if (start >= size) {
                throw unsatisfiable(header, size);
            }
            return new long[] {start, end - start + 1};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static OsirisException unsatisfiable(String header, long size) {
        return new OsirisException(ErrorKind.RANGE_NOT_SATISFIABLE, "Range",
                "range '" + header + "' is outside the log of " + size + " bytes");
    }

    private static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                return p.length < 2 || !p[1].replace(" ", "").equals("q=0");
            }
        }
        return false;
    }

    private static long positive(String field, String value) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OsirisException.badRequest(field, field + " must be a positive number, got '" + value + "'");
    }
}
