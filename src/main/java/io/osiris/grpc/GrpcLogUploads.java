package io.osiris.grpc;

import io.osiris.records.HomeCluster;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.osiris.access.AccessControl;
import io.osiris.access.Credentials;
import io.osiris.api.LogLimits;
import io.osiris.api.UploadSlots;
import io.osiris.records.BuildRef;
import io.osiris.records.LogInfo;
import io.osiris.buildlog.ChunkPipe;
import io.osiris.error.OsirisException;
import io.osiris.grpc.v1.PutLogRequest;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.Exchange;
import io.osiris.observability.TraceHandoff;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * PutLog, a client stream: camel-grpc delivers each message as its own exchange (strategy DELEGATION), so the calls
 * are told apart by their response stream. The first message names the build and starts the same storage route as
 * REST ({@code direct:log-archive-store}) on a stream fed by the following messages; the end of the client stream
 * closes it and the reply is what was stored.
 */
@Component("grpcLogUploads")
public class GrpcLogUploads implements DisposableBean {

    /** Bytes of a call held in memory at most, between the gRPC messages and the spooler. */
    private static final long PIPE_BUDGET = 4L * 1024 * 1024;

    private final HomeCluster home;
    private final ProducerTemplate routes;
    private final LogLimits limits;
    private final AccessControl access;
    private final UploadSlots slots;
    private final Map<StreamObserver<Object>, Upload> uploads = new ConcurrentHashMap<>();
    private final ExecutorService spoolers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "osiris-grpc-put-log");
        t.setDaemon(true);
        return t;
    });

    public GrpcLogUploads(ProducerTemplate routes, LogLimits limits, AccessControl access, UploadSlots slots,
                          HomeCluster home) {
        this.home = home;
        this.routes = routes;
        this.limits = limits;
        this.access = access;
        this.slots = slots;
    }

    private record Upload(ChunkPipe pipe, CompletableFuture<LogInfo> stored) {
    }

    public void onMessage(Exchange exchange) throws InterruptedException {
        StreamObserver<Object> call = GrpcReplies.observer(exchange);
        PutLogRequest request = exchange.getMessage().getBody(PutLogRequest.class);
        Upload upload = uploads.get(call);
        if (upload == null) {
            start(call, request, exchange);
            return;
        }
        if (upload.stored().isDone()) { // the storage route gave up early: unknown build, too large, ...
            finish(call);
            return;
        }
        if (request.hasBuild()) {
            abort(call, OsirisException.badRequest("build", "the build is named in the first message only"));
            return;
        }
        if (!upload.pipe().write(request.getChunk().asReadOnlyByteBuffer())) {
            finish(call);
        }
    }

    public void onCompleted(Exchange exchange) {
        StreamObserver<Object> call = GrpcReplies.observer(exchange);
        Upload upload = uploads.get(call);
        if (upload == null) { // an answered call gets no more events: this one sent nothing
            call.onError(Status.INVALID_ARGUMENT.withDescription("PutLog needs a first message naming the build")
                    .asRuntimeException());
            return;
        }
        upload.pipe().close();
        finish(call);
    }

    public void onError(Exchange exchange) {
        Upload upload = uploads.remove(GrpcReplies.observer(exchange));
        if (upload != null) {
            upload.pipe().fail(new IOException("the client cancelled the upload"));
        }
    }

    private void start(StreamObserver<Object> call, PutLogRequest first, Exchange exchange) {
        Map<String, Object> trace = TraceHandoff.of(exchange);
        BuildRef build;
        UploadSlots.Slot slot;
        try {
            if (!first.hasBuild()) {
                throw OsirisException.badRequest("build", "the first PutLog message must name the build");
            }
            build = GrpcMessages.ref(first.getBuild(),
                    access.clusterOf(exchange, first.getBuild().getCluster(), home.name()));
            exchange.setProperty("buildRef", build);
            access.startLogUpload(exchange); // before a byte is spooled
            Credentials caller = exchange.getProperty(Credentials.PROPERTY, Credentials.class);
            // the same upload slots as the HTTP doors: a slow client holds a spooling thread while it sends
            slot = slots.take(caller == null ? null : caller.clientAddress());
        } catch (OsirisException e) {
            abort(call, e);
            return;
        }
        ChunkPipe pipe = new ChunkPipe(PIPE_BUDGET);
        CompletableFuture<LogInfo> stored = CompletableFuture.supplyAsync(() -> {
            Exchange result = routes.send("direct:log-archive-store", e -> {
                TraceHandoff.into(trace, e);
                e.setProperty("buildRef", build);
                e.setProperty("maxLogSize", limits.rest());
                e.getMessage().setBody(pipe.input());
            });
            if (result.getException() != null) {
                throw new java.util.concurrent.CompletionException(result.getException());
            }
            return result.getMessage().getBody(LogInfo.class);
        }, spoolers);
        stored.whenComplete((log, failure) -> slot.close());
        uploads.put(call, new Upload(pipe, stored));
    }

    /** Answers the call with what the storage route did. */
    private void finish(StreamObserver<Object> call) {
        Upload upload = uploads.remove(call);
        if (upload == null) {
            return;
        }
        try {
            LogInfo stored = upload.stored().get();
            call.onNext(GrpcMessages.log(stored));
            call.onCompleted();
        } catch (ExecutionException e) {
            call.onError(GrpcReplies.status(e.getCause()).asRuntimeException());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.onError(Status.CANCELLED.asRuntimeException());
        }
    }

    private void abort(StreamObserver<Object> call, OsirisException error) {
        Upload upload = uploads.remove(call);
        if (upload != null) {
            upload.pipe().fail(new IOException(error.getMessage()));
        }
        call.onError(GrpcReplies.status(error).asRuntimeException());
    }

    @Override
    public void destroy() {
        spoolers.shutdownNow();
    }
}
