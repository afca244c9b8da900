package io.osiris.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A log server in front of the fabric8 mock, for the benchmark: build logs found as files ({@code build/<namespace>/
 * <name>} under a folder) are sent from the file by the kernel, everything else (the API, its watches over
 * WebSockets) is passed to the mock. The mock itself copies a log's whole body several times per response, which
 * made it slower than what it was meant to measure.
 */
public final class ClusterLogFront implements AutoCloseable {

    private static final Pattern BUILD_LOG =
            Pattern.compile("/apis/build\\.openshift\\.io/v1/namespaces/([^/]+)/builds/([^/?]+)/log");

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    /** Listens on {@code port}, serves the files under {@code logs} and passes the rest to the mock on {@code api}. */
    public ClusterLogFront(int port, Path logs, int api) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(api).setMaxPoolSize(64).setMaxWebSockets(64));
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
                        .setWebSocketSubProtocols(java.util.List.of("v4.channel.k8s.io", "v1.channel.k8s.io")))
                .requestHandler(request -> handle(request, logs, client, api));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void handle(HttpServerRequest request, Path logs, HttpClient client, int api) {
        Matcher log = BUILD_LOG.matcher(request.path());
        if (log.matches() && !"true".equals(request.getParam("follow"))) {
            Path file = logs.resolve("build").resolve(log.group(1)).resolve(log.group(2));
            if (Files.isRegularFile(file)) {
                request.response().putHeader("Content-Type", "text/plain").sendFile(file.toString());
                return;
            }
        }
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(api)
                    .setURI(request.uri());
            String protocol = request.getHeader("Sec-WebSocket-Protocol");
            if (protocol != null) {
                options.addSubProtocol(protocol.split(",")[0].trim());
            }
            // upgraded at once (Vert.x requires it in the handler), its frames held until the mock's side is open
            request.toWebSocket().onSuccess(downstream -> {
                downstream.pause();
                client.webSocket(options).onSuccess(upstream -> {
                    upstream.frameHandler(downstream::writeFrame);
                    downstream.frameHandler(upstream::writeFrame);
                    upstream.closeHandler(v -> downstream.close());
                    downstream.closeHandler(v -> upstream.close());
                    downstream.resume();
                }).onFailure(e -> downstream.close());
            });
            return;
        }
        request.body().onSuccess(body -> client.request(new RequestOptions().setMethod(request.method())
                .setURI(request.uri()).setHeaders(forwarded(request.headers())))
                .compose(forward -> forward.send(body))
                .onSuccess(answer -> {
                    HttpServerResponse response = request.response().setStatusCode(answer.statusCode());
                    response.headers().setAll(forwarded(answer.headers()));
                    response.setChunked(!answer.headers().contains("Content-Length"));
                    answer.pipeTo(response);
                })
                .onFailure(e -> request.response().setStatusCode(502).end()));
    }

    /** The headers of a message passed on, less those of its connection (the proxy's own are set for it). */
    private static MultiMap forwarded(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        copy.remove("Host").remove("Connection").remove("Transfer-Encoding").remove("Upgrade");
        return copy;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
