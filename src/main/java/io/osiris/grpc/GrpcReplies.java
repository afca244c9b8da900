package io.osiris.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.osiris.error.ErrorMapping;
import io.osiris.grpc.v1.LogChunk;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.Exchange;
import org.apache.camel.component.grpc.GrpcConstants;

/** Writing to the caller of a gRPC call from a route: the route controls the response stream. */
final class GrpcReplies {

    private static final int CHUNK = 64 * 1024;

    private GrpcReplies() {
    }

    @SuppressWarnings("unchecked")
    static StreamObserver<Object> observer(Exchange exchange) {
        return exchange.getProperty(GrpcConstants.GRPC_RESPONSE_OBSERVER, StreamObserver.class);
    }

    static void single(Exchange exchange, Object reply) {
        StreamObserver<Object> observer = observer(exchange);
        observer.onNext(reply);
        observer.onCompleted();
    }

    /** Sends a stream in chunks, waiting while the client's flow-control window is full, then completes. */
    static void chunks(Exchange exchange, InputStream log) throws IOException {
        StreamObserver<Object> observer = observer(exchange);
        ServerCallStreamObserver<Object> call = (ServerCallStreamObserver<Object>) observer;
        try (InputStream in = log) {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer, 0, CHUNK)) != -1) {
                while (!call.isReady()) {
                    if (call.isCancelled()) {
                        return;
                    }
                    LockSupport.parkNanos(200_000);
                }
                observer.onNext(LogChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
            }
        }
        observer.onCompleted();
    }

    /** The failure of a call as a gRPC status (table: ErrorKind), never a stack trace. */
    static void error(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        observer(exchange).onError(status(failure).asRuntimeException());
    }

    static Status status(Throwable failure) {
        ErrorMapping.ClientError error = ErrorMapping.of(failure);
        Status.Code code = error.kind() == null ? Status.Code.INTERNAL : error.kind().grpcCode();
        return Status.fromCode(code).withDescription(error.message());
    }
}
