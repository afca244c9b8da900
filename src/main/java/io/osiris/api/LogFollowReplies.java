package io.osiris.api;

import io.osiris.buildlog.LiveLogs;
import io.osiris.buildlog.LogArchive;
import io.osiris.buildlog.LogStart;
import io.osiris.buildlog.LogView;
import io.osiris.buildlog.PositionedLog;
import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildRecord;
import io.osiris.records.LogInfo;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code GET .../log?follow=true}: the log as it is written, streamed to the client chunk by chunk (each flushed at
 * once), as plain text or, for {@code Accept: text/event-stream}, as Server-Sent Events with the line number as id
 * ({@code Last-Event-ID} resumes after that line). A log being written is followed until it is complete; a stored
 * log is sent from the start position and the reply ends. The reply is written to the servlet response here: Camel's
 * reply copy does not flush per chunk, which a live tail needs.
 */
@Component("logFollowReplies")
public class LogFollowReplies {

    private static final Logger LOG = LoggerFactory.getLogger(LogFollowReplies.class);
    /** A comment line sent to an event stream after this much silence, so that proxies keep the connection. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final int CHUNK = 64 * 1024;

    private final LiveLogs live;
    private final ApiProperties api;
    private final Semaphore followers;
    private final int maxFollowers;

    public LogFollowReplies(LiveLogs live, ApiProperties api, AdmissionProperties admission) {
        this.live = live;
        this.api = api;
        this.maxFollowers = admission.maxFollowers();
        this.followers = new Semaphore(maxFollowers);
    }

    /** Whether the request asks to follow ({@code follow=true}); a HEAD request never streams. */
    public boolean wanted(Exchange exchange) {
        String follow = exchange.getMessage().getHeader("follow", String.class);
        if (follow == null || follow.equals("false")) {
            return false;
        }
        if (!follow.equals("true")) {
            throw OsirisException.badRequest("follow", "follow must be true or false, got '" + follow + "'");
        }
        return !"true".equals(exchange.getMessage().getHeader(HeadRequests.HEADER, String.class));
    }

    /**
     * Body the build's record. Streams the log being written, if any (waiting {@code osiris.api.follow-wait} for a
     * build without log to start one). Header OsirisLive says whether it did; if not, the route opens the stored log
     * and calls {@link #stored}.
     */
    public void live(Exchange exchange) throws IOException, InterruptedException {
        BuildRecord record = exchange.getMessage().getBody(BuildRecord.class);
        LogStart start = start(exchange.getMessage());
        if (!followers.tryAcquire()) {
            throw new OsirisException(ErrorKind.OVERLOADED, null, "Osiris is at its limit of " + maxFollowers
                    + " followed logs at once; try again shortly");
        }
        try {
            Duration wait = record.hasLog() ? Duration.ZERO : api.followWait();
            Optional<LiveLogs.Follower> growing = live.await(record.ref(), start, wait);
            exchange.getMessage().setHeader("OsirisLive", growing.isPresent());
            if (growing.isPresent()) {
                try (LiveLogs.Follower follower = growing.get()) {
                    send(exchange, new FollowerSource(follower), null);
                }
            }
        } finally {
            followers.release();
        }
    }

    /** After log-archive-open: the stored (or spooled) log from the start position, then the reply ends. */
    public void stored(Exchange exchange) throws org.apache.camel.InvalidPayloadException, IOException {
        InputStream stored = exchange.getMessage().getMandatoryBody(InputStream.class);
        LogInfo log = exchange.getProperty(LogArchive.RECORD, BuildRecord.class).log();
        try (PositionedLog in = new PositionedLog(LogView.decoded(stored, log), start(exchange.getMessage()),
                log::lines)) {
            send(exchange, new StreamSource(in), log);
        } finally {
            IOHelper.close(stored);
        }
    }

    /** Where to start: after {@code Last-Event-ID} (a resumed event stream), else offset, tailLines or fromLine. */
    static LogStart start(Message message) {
        String lastEventId = message.getHeader("Last-Event-ID", String.class);
        if (lastEventId != null && !lastEventId.isBlank()) {
            return LogStart.atLine(number("Last-Event-ID", lastEventId, 0) + 1);
        }
        String offset = message.getHeader("offset", String.class);
        String tailLines = message.getHeader("tailLines", String.class);
        String fromLine = message.getHeader("fromLine", String.class);
        int given = (offset == null ? 0 : 1) + (tailLines == null ? 0 : 1) + (fromLine == null ? 0 : 1);
        if (given > 1) {
            throw OsirisException.badRequest("offset", "give at most one of offset, tailLines and fromLine");
        }
        if (offset != null) {
            return LogStart.atOffset(number("offset", offset, 0));
        }
        if (tailLines != null) {
            return LogStart.lastLines(number("tailLines", tailLines, 1));
        }
        if (fromLine != null) {
            return LogStart.atLine(number("fromLine", fromLine, 1));
        }
        return LogStart.BEGINNING;
    }

    private static long number(String field, String value, long minimum) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= minimum) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OsirisException.badRequest(field, field + " must be a number of at least " + minimum + ", got '"
                + value + "'");
    }

    private void send(Exchange exchange, Source source, LogInfo stored) throws IOException {
        Message message = exchange.getMessage();
        HttpServletResponse response = message.getHeader("CamelHttpServletResponse", HttpServletResponse.class);
        if (response == null) {
            // Camel Main (JBang) has no servlet response to flush chunk by chunk
            throw OsirisException.badRequest("follow", "follow=true needs the Osiris service (Spring Boot); "
                    + "under Camel JBang read the log once it is complete");
        }
        boolean events = String.valueOf(message.getHeader(HeadRequests.ACCEPT, String.class))
                .contains("text/event-stream");
        response.setStatus(200);
        response.setContentType(events ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // proxies: pass each chunk on at once
        response.setHeader("X-Osiris-Log-Live", String.valueOf(stored == null));
        if (stored != null && Boolean.TRUE.equals(stored.pending())) {
            response.setHeader("X-Osiris-Log-Pending", "true");
        }
        OutputStream out = response.getOutputStream();
        Source reading = new BreakingOff(source);
        LogEvents eventStream = events ? new LogEvents(out) : null;
        try {
            if (eventStream != null) {
                eventStream.send(reading, KEEP_ALIVE);
            } else {
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = reading.read(buffer, 0, CHUNK, KEEP_ALIVE)) != -1) {
                    if (n > 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            }
            out.flush();
        } catch (BrokeOff e) {
            // the upload being followed failed: an event stream says so; a plain reply just ends (no trailer in HTTP/1.1)
            LOG.info("Following the log of {} ended early: {}", exchange.getProperty("buildRef"), e.getMessage());
            if (eventStream != null) {
                eventStream.error("the log's upload broke off before its end; it is not stored");
            }
        } catch (IOException clientGone) {
            LOG.debug("Follower of {} went away: {}", exchange.getProperty("buildRef"), clientGone.getMessage());
        }
        // the reply is written; Camel's own reply writing must not add to it
        message.setBody(null);
        exchange.setProperty(Exchange.SKIP_GZIP_ENCODING, Boolean.TRUE);
    }

    /** What a reply reads from: 0 means nothing new for the idle time given. */
    interface Source {
        int read(byte[] b, int off, int len, Duration idle) throws IOException;

        long firstLine();
    }

    /** A failure of the log being read (not of the client): the upload it follows broke off. */
    static final class BrokeOff extends IOException {
        BrokeOff(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private record BreakingOff(Source source) implements Source {
        @Override
        public int read(byte[] b, int off, int len, Duration idle) throws IOException {
            try {
                return source.read(b, off, len, idle);
            } catch (IOException e) {
                throw new BrokeOff(e);
            }
        }

        @Override
        public long firstLine() {
            return source.firstLine();
        }
    }

    private record FollowerSource(LiveLogs.Follower follower) implements Source {
        @Override
        public int read(byte[] b, int off, int len, Duration idle) throws IOException {
            return follower.read(b, off, len, idle);
        }

        @Override
        public long firstLine() {
            return follower.firstLine();
        }
    }

    private record StreamSource(PositionedLog in) implements Source {
        @Override
        public int read(byte[] b, int off, int len, Duration idle) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public long firstLine() {
            return in.firstLine();
        }
    }
}
