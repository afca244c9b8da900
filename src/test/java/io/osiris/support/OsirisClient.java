package io.osiris.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client of a running Osiris, over a socket. */
public class OsirisClient {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    public OsirisClient(int port) {
        this(port, null);
    }

    /** A client that sends {@code Authorization: Bearer token} with every request. */
    public OsirisClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    public OsirisClient withToken(String token) {
        return new OsirisClient(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), token);
    }

    public HttpResponse<String> putJson(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> put(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** PUT with a streamed body of unknown length: chunked transfer encoding. */
    public HttpResponse<String> putLog(String path, InputStream log) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> log)).build());
    }

    public HttpResponse<String> putLog(String path, String log) {
        return put(path, "text/plain", log);
    }

    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public HttpResponse<InputStream> getStream(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        if (token != null) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                    .header("Authorization", "Bearer " + token).build();
        }
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }
}
