package io.osiris.grpc;

import io.osiris.records.HomeCluster;
import io.osiris.records.BuildRef;
import io.osiris.access.AccessControl;
import io.osiris.api.ApiProperties;
import io.osiris.records.BuildRecord;
import io.osiris.records.BuildQuery;
import io.osiris.buildlog.LiveLogs;
import io.osiris.buildlog.LogArchive;
import io.osiris.buildlog.LogView;
import io.osiris.error.OsirisException;
import io.osiris.grpc.v1.FollowLogRequest;
import io.osiris.grpc.v1.GetLogRequest;
import io.osiris.grpc.v1.InfoReply;
import io.osiris.grpc.v1.ListBuildsRequest;
import io.osiris.grpc.v1.PutBuildRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * The steps of the gRPC routes (grpc-api.camel.yaml): read a request into the domain, and answer through the call's
 * response stream. Everything in between is the internal routes that REST uses too.
 */
@Component("grpcDoor")
public class GrpcDoor {

    /** Exchange property with the build whose log is in the body (set by log-archive-open). */

    private final HomeCluster home;
    private final AccessControl access;
    private final ApiProperties api;
    private final GrpcProperties grpc;
    private final LiveLogs live;
    private final String version;

    public GrpcDoor(ApiProperties api, GrpcProperties grpc, LiveLogs live, ObjectProvider<BuildProperties> build,
                    HomeCluster home, AccessControl access) {
        this.home = home;
        this.access = access;
        this.api = api;
        this.grpc = grpc;
        this.live = live;
        BuildProperties props = build.getIfAvailable();
        this.version = props != null ? props.getVersion() : "dev";
    }

    /** The first step of every call: the caller that {@link GrpcCallers} authenticated, for the access checks. */
    public void caller(Exchange exchange) {
        GrpcCallers.attach(exchange);
    }

    /** The build a message names; its cluster as for REST (the caller's one cluster, else the home cluster). */
    private BuildRef ref(Exchange exchange, io.osiris.grpc.v1.BuildRef build) {
        return GrpcMessages.ref(build, access.clusterOf(exchange, build.getCluster(), home.name()));
    }

    public void info(Exchange exchange) {
        GrpcReplies.single(exchange, InfoReply.newBuilder().setName("osiris").setVersion(version).build());
    }

    /** PutBuild: property buildRef, body the domain BuildInfo. */
    public void putBuildRequest(Exchange exchange) {
        PutBuildRequest request = exchange.getMessage().getBody(PutBuildRequest.class);
        exchange.setProperty("buildRef", ref(exchange, request.getBuild()));
        exchange.getMessage().setBody(GrpcMessages.info(request));
    }

    public void replyBuild(Exchange exchange) {
        GrpcReplies.single(exchange, GrpcMessages.build(exchange.getMessage().getBody(BuildRecord.class)));
    }

    public void listRequest(Exchange exchange) {
        ListBuildsRequest request = exchange.getMessage().getBody(ListBuildsRequest.class);
        exchange.getMessage().setBody(GrpcMessages.query(request, api.defaultPageSize(), api.maxPageSize()));
    }

    public void replyPage(Exchange exchange) {
        GrpcReplies.single(exchange, GrpcMessages.page(exchange.getMessage().getBody(BuildQuery.Page.class)));
    }

    /** GetLog: property buildRef; the request is kept for the options. */
    public void getLogRequest(Exchange exchange) {
        GetLogRequest request = exchange.getMessage().getBody(GetLogRequest.class);
        if (request.getOffset() < 0 || request.getTailLines() < 0) {
            throw OsirisException.badRequest(request.getOffset() < 0 ? "offset" : "tail_lines",
                    "offset and tail_lines must not be negative");
        }
        exchange.setProperty("grpcRequest", request);
        exchange.setProperty("buildRef", ref(exchange, request.getBuild()));
    }

    /** Body: the stored log from log-archive-open. Streams the part asked for. */
    public void sendLog(Exchange exchange) throws IOException {
        BuildRecord record = exchange.getProperty(LogArchive.RECORD, BuildRecord.class);
        GetLogRequest request = exchange.getProperty("grpcRequest", GetLogRequest.class);
        if (request != null && request.getOffset() > record.log().size()) {
            exchange.getMessage().getBody(InputStream.class).close(); // the stored object opened for nothing
            throw new OsirisException(io.osiris.error.ErrorKind.RANGE_NOT_SATISFIABLE, "offset", "offset "
                    + request.getOffset() + " is past the end of the log (" + record.log().size() + " bytes)");
        }
        InputStream log = LogView.decoded(exchange.getMessage().getBody(InputStream.class), record.log());
        if (request != null && request.getTailLines() > 0) {
            log = LogView.tail(log, record.log().lines(), request.getTailLines());
        } else if (request != null && request.getOffset() > 0) {
            log = LogView.range(log, request.getOffset(), Long.MAX_VALUE);
        }
        GrpcReplies.chunks(exchange, log);
    }

    public void followRequest(Exchange exchange) {
        FollowLogRequest request = exchange.getMessage().getBody(FollowLogRequest.class);
        exchange.setProperty("buildRef", ref(exchange, request.getBuild()));
    }

    /**
     * FollowLog, body the build's record: a log being written is streamed as it grows and the call ends with it.
     * For a build without stored log, the log may still start: wait for it. Header OsirisLive says whether a live
     * log was sent; if not, the route sends the stored one.
     */
    public void follow(Exchange exchange) throws IOException, InterruptedException {
        BuildRecord record = exchange.getMessage().getBody(BuildRecord.class);
        Duration wait = record.hasLog() ? Duration.ZERO : grpc.followWait();
        Optional<LiveLogs.Follower> growing = live.await(record.ref(), wait);
        exchange.getMessage().setHeader("OsirisLive", growing.isPresent());
        if (growing.isPresent()) {
            GrpcReplies.chunks(exchange, growing.get().stream());
        }
    }

    public void error(Exchange exchange) {
        GrpcReplies.error(exchange);
    }
}
