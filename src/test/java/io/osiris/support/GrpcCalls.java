package io.osiris.support;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.osiris.grpc.v1.BuildRef;
import io.osiris.grpc.v1.LogChunk;
import io.osiris.grpc.v1.LogInfo;
import io.osiris.grpc.v1.OsirisGrpc;
import io.osiris.grpc.v1.PutLogRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Streaming calls as a client program makes them: with flow control, never holding a whole log. */
public final class GrpcCalls {

    private GrpcCalls() {
    }

    public static BuildRef ref(String namespace, String name) {
        return BuildRef.newBuilder().setNamespace(namespace).setName(name).build();
    }

    /** An open PutLog call: send chunks, then complete. */
    public static final class Upload {
        private final ClientCallStreamObserver<PutLogRequest> requests;
        public final CompletableFuture<LogInfo> reply = new CompletableFuture<>();

        @SuppressWarnings("unchecked")
        public Upload(Channel channel, BuildRef build) {
            requests = (ClientCallStreamObserver<PutLogRequest>) OsirisGrpc.newStub(channel).putLog(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(LogInfo value) {
                            reply.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            reply.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            requests.onNext(PutLogRequest.newBuilder().setBuild(build).build());
        }

        public Upload send(byte[] chunk, int length) {
            while (!requests.isReady() && !reply.isDone()) {
                LockSupport.parkNanos(100_000);
            }
            if (!reply.isDone()) {
                requests.onNext(PutLogRequest.newBuilder().setChunk(ByteString.copyFrom(chunk, 0, length)).build());
            }
            return this;
        }

        public Upload send(String text) {
            byte[] bytes = text.getBytes();
            return send(bytes, bytes.length);
        }

        public LogInfo complete() throws Exception {
            if (!reply.isDone()) {
                requests.onCompleted();
            }
            return reply.get(5, TimeUnit.MINUTES);
        }
    }

    public static LogInfo putLog(Channel channel, BuildRef build, InputStream log) throws Exception {
        Upload upload = new Upload(channel, build);
        byte[] buffer = new byte[1024 * 1024];
        int n;
        while ((n = log.readNBytes(buffer, 0, buffer.length)) > 0 && !upload.reply.isDone()) {
            upload.send(buffer, n);
        }
        return upload.complete();
    }

    /** Collects a server stream of log chunks: its sha256, or the text for small logs. */
    public static final class Collector implements StreamObserver<LogChunk> {
        private final MessageDigest sha = LogStreams.sha256();
        private final ByteArrayOutputStream text = new ByteArrayOutputStream();
        private final boolean keepText;
        private long bytes;
        public final CompletableFuture<Void> done = new CompletableFuture<>();

        public Collector(boolean keepText) {
            this.keepText = keepText;
        }

        @Override
        public synchronized void onNext(LogChunk chunk) {
            sha.update(chunk.getData().asReadOnlyByteBuffer());
            bytes += chunk.getData().size();
            if (keepText) {
                try {
                    chunk.getData().writeTo(text);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
        }

        public synchronized String text() {
            return text.toString();
        }

        public synchronized long bytes() {
            return bytes;
        }

        public String sha256() throws Exception {
            done.get(5, TimeUnit.MINUTES);
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
