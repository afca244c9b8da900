package io.osiris.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.Await;
import io.osiris.support.RunningOsiris;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Admission: bodies held by slow clients are bounded in total and per address, and a full service says so. */
@TestPropertySource(properties = {"osiris.admission.max-requests=3", "osiris.admission.max-uploads=3",
        "osiris.admission.max-uploads-per-client=2"})
class RequestAdmissionTest extends RunningOsiris {

    private final List<Socket> slow = new ArrayList<>();

    @AfterEach
    void closeSlowUploads() throws IOException {
        for (Socket socket : slow) {
            socket.close();
        }
    }

    @Test
    void slowUploadsGetTheirShareThenAreRefusedWithRetryAfterAndReadinessShowsAFullService() throws Exception {
        client.putJson("/api/v1/namespaces/admission/builds/b1", "{\"phase\":\"Complete\"}");

        assertThat(upload("127.0.0.1")).as("first upload of 127.0.0.1").isEmpty();
        assertThat(upload("127.0.0.1")).as("second upload of 127.0.0.1").isEmpty();
        assertThat(upload("127.0.0.1")).as("third upload of 127.0.0.1").startsWith("HTTP/1.1 429");
        assertThat(upload("127.0.0.2")).as("first upload of 127.0.0.2").isEmpty();

        // three requests in flight: the service is full
        HttpResponse<String> read = client.get("/api/v1/namespaces/admission/builds/b1");
        assertThat(read.statusCode()).isEqualTo(503);
        assertThat(read.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(parse(read.body()).path("message").asText()).contains("3 requests");
        assertThat(upload("127.0.0.3")).startsWith("HTTP/1.1 503");
        HttpResponse<String> readiness = client.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(parse(readiness.body()).path("components").path("admission").path("status").asText())
                .isEqualTo("OUT_OF_SERVICE");

        for (Socket socket : slow) {
            socket.close(); // the clients give up: their requests end, their slots are free
        }
        Await.value(Duration.ofSeconds(10),
                () -> client.get("/actuator/health/readiness").statusCode() == 200 ? true : null);
        assertThat(client.get("/api/v1/namespaces/admission/builds/b1").statusCode()).isEqualTo(200);
        assertThat(client.putLog("/api/v1/namespaces/admission/builds/b1/log", "at last\n").statusCode())
                .isEqualTo(201);
    }

    /** Starts a log upload from {@code address} that sends a few bytes and then nothing; its answer if one comes. */
    private String upload(String address) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(address, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        slow.add(socket);
        socket.getOutputStream().write(("PUT /api/v1/namespaces/admission/builds/b1/log HTTP/1.1\r\nHost: osiris\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\nthe first line\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(500);
        StringBuilder line = new StringBuilder();
        try {
            InputStream in = socket.getInputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\r') {
                line.append((char) c);
            }
        } catch (SocketTimeoutException held) {
            return ""; // admitted: the server waits for the rest of the body
        }
        return line.toString();
    }
}
