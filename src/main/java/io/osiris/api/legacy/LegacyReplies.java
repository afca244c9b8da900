package io.osiris.api.legacy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.api.HttpReplies;
import io.osiris.records.BuildRecord;
import io.osiris.records.LogInfo;
import io.osiris.buildlog.LogArchive;
import io.osiris.buildlog.LogView;
import io.osiris.error.ErrorMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.Exchange;
import org.apache.camel.util.IOHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Replies of the legacy Osiris API in its envelope:
 * {@code {"data": {"app_data", "status", "payload", "output", "errors"}, "errors": {field: [message]}}}, with
 * builds in the original BuildInfo schema. The log reply is generated while it is sent, never held in memory.
 */
@Component("legacyReplies")
public class LegacyReplies implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyReplies.class);
    /** The original's {@code %Y-%m-%dT%H:%M:%S.%f}. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;
    private final String version;
    private final ExecutorService writers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "osiris-legacy-log-writer");
        t.setDaemon(true);
        return t;
    });

    public LegacyReplies(ObjectMapper json, ObjectProvider<BuildProperties> build) {
        this.json = json;
        BuildProperties props = build.getIfAvailable();
        this.version = props != null ? props.getVersion() : "dev";
    }

    /** 202 and the build's BuildInfo, for started/completed. Body in: the BuildRecord. */
    public void accepted(Exchange exchange) throws Exception {
        BuildRecord record = exchange.getMessage().getMandatoryBody(BuildRecord.class);
        reply(exchange, 202, "Build info recorded", buildInfo(record));
    }

    /** The stored BuildInfo. Body in: the BuildRecord. */
    public void info(Exchange exchange) throws Exception {
        reply(exchange, 200, "Build info", buildInfo(exchange.getMessage().getMandatoryBody(BuildRecord.class)));
    }

    /** {@code {"build_status": ...}}. Body in: the BuildRecord. */
    public void status(Exchange exchange) throws Exception {
        BuildRecord record = exchange.getMessage().getMandatoryBody(BuildRecord.class);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("build_status", record.phase() == null ? null : record.phase().name());
        reply(exchange, 200, "Build status", payload);
    }

    /** After a log upload. Body in: the LogInfo (pending when kept for retry). */
    public void logStored(Exchange exchange) throws Exception {
        LogInfo log = exchange.getMessage().getMandatoryBody(LogInfo.class);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("build_id", exchange.getMessage().getHeader("id", String.class));
        payload.put("size", log.size());
        payload.put("sha256", log.sha256());
        payload.put("stored", !Boolean.TRUE.equals(log.pending()));
        reply(exchange, Boolean.TRUE.equals(log.pending()) ? 202 : 200, "Build log stored", payload);
    }

    /** One page of BuildInfo. Body in: a {@link LegacyPages.Page}. */
    public void page(Exchange exchange) throws Exception {
        LegacyPages.Page page = exchange.getMessage().getMandatoryBody(LegacyPages.Page.class);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("build_info", page.records().stream().map(LegacyReplies::buildInfo).toList());
        payload.put("page", page.page());
        payload.put("total", page.total());
        payload.put("has_next", page.hasNext());
        payload.put("has_prev", page.page() > 1);
        reply(exchange, 200, "Build info page", payload);
    }

    /** A probe answer. Body in: true when healthy. */
    public void probe(Exchange exchange) throws Exception {
        boolean up = exchange.getMessage().getMandatoryBody(Boolean.class);
        reply(exchange, up ? 200 : 503, up ? "Service is healthy" : "Service is not ready",
                Map.of("healthy", up));
    }

    /** Body in: the stored log stream; property osirisBuildRecord. Streams {@code {data, metadata}} in the envelope. */
    public void log(Exchange exchange) throws Exception {
        BuildRecord record = exchange.getProperty(LogArchive.RECORD, BuildRecord.class);
        InputStream stored = exchange.getMessage().getMandatoryBody(InputStream.class);
        PipedInputStream reply = new PipedInputStream(64 * 1024);
        PipedOutputStream out = new PipedOutputStream(reply);
        writers.execute(() -> writeLogEnvelope(record, stored, out));
        HttpReplies.json(exchange, 200, null);
        exchange.getMessage().setBody(reply);
    }

    private void writeLogEnvelope(BuildRecord record, InputStream stored, PipedOutputStream out) {
        try (JsonGenerator g = json.getFactory().createGenerator(out);
             Reader log = new InputStreamReader(LogView.decoded(stored, record.log()), StandardCharsets.UTF_8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("data");
            g.writeObjectField("app_data", appData());
            g.writeObjectField("status", status(200, "Build log"));
            g.writeObjectFieldStart("payload");
            g.writeFieldName("data");
            g.writeString(log, -1);
            g.writeObjectFieldStart("metadata");
            g.writeStringField("build_id", record.name());
            g.writeStringField("namespace", record.namespace());
            g.writeNumberField("size", record.log().size());
            g.writeStringField("sha256", record.log().sha256());
            g.writeEndObject();
            g.writeEndObject();
            g.writeNullField("output");
            g.writeNullField("errors");
            g.writeEndObject();
            g.writeObjectFieldStart("errors");
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            LOG.info("Legacy log reply of {} ended early: {}", record.ref(), e.getMessage());
        } finally {
            IOHelper.close(stored, out);
        }
    }

    /** The reply to a failed legacy call, with the field at fault in {@code errors}. */
    public void error(Exchange exchange) throws Exception {
        ErrorMapping.ClientError error = ErrorMapping.of(exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                Throwable.class));
        Map<String, Object> envelope = envelope(error.status(), error.message(), null);
        envelope.put("errors", Map.of(error.field() == null ? "request" : error.field(), List.of(error.message())));
        HttpReplies.json(exchange, error.status(), json.writeValueAsBytes(envelope));
    }

    private void reply(Exchange exchange, int code, String message, Object payload) throws IOException {
        HttpReplies.json(exchange, code, json.writeValueAsBytes(envelope(code, message, payload)));
    }

    private Map<String, Object> envelope(int code, String message, Object payload) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("app_data", appData());
        data.put("status", status(code, message));
        data.put("payload", payload);
        data.put("output", null);
        data.put("errors", null);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("data", data);
        envelope.put("errors", Map.of());
        return envelope;
    }

    private Map<String, Object> appData() {
        return Map.of("name", "osiris", "version", version);
    }

    private static Map<String, Object> status(int code, String message) {
        HttpStatus status = HttpStatus.resolve(code);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("code", code);
        s.put("phrase", status == null ? "" : status.getReasonPhrase());
        s.put("description", status == null ? "" : status.getReasonPhrase());
        s.put("message", message);
        return s;
    }

    /** A build record in the original BuildInfo schema. */
    static Map<String, Object> buildInfo(BuildRecord record) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("build_id", record.name());
        info.put("build_status", record.phase() == null ? null : record.phase().name());
        info.put("build_url", null);
        info.put("build_log_url", record.hasLog() ? "/build/logs/" + record.name() : null);
        info.put("first_timestamp", format(record.startTimestamp()));
        info.put("last_timestamp", format(record.completionTimestamp()));
        info.put("log_level", 6);
        Map<String, Object> ocp = new LinkedHashMap<>();
        ocp.put("kind", "Build");
        ocp.put("name", record.name());
        ocp.put("namespace", record.namespace());
        info.put("ocp_info", ocp);
        return info;
    }

    private static String format(Instant time) {
        return time == null ? null : TIMESTAMP.format(time);
    }

    @Override
    public void destroy() {
        writers.shutdownNow();
    }
}
