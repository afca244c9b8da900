package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.LogStreams;
import io.osiris.support.OsirisClient;
import io.osiris.support.OsirisProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.SequenceInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service with a 256 MiB heap (an OutOfMemoryError ends it) under abuse: slow and aborted uploads,
 * concurrent large legacy uploads, an oversized record. It stays up, keeps answering reads, and leaves no file.
 */
class OverloadIT {

    private static final int IDLE_TIMEOUT_SECONDS = 5;

    @TempDir
    Path data;

    private OsirisProcess osiris;

    @BeforeEach
    void start() throws Exception {
        // ten uploads at once from this one address are the point of one test, not what admission refuses
        osiris = OsirisProcess.start(data, "256m", Map.of("OSIRIS_S3_ENDPOINT", "",
                "OSIRIS_HTTP_IDLE_TIMEOUT", IDLE_TIMEOUT_SECONDS + "s"), "--osiris.admission.max-uploads-per-client=10");
        osiris.client.putJson("/api/v1/namespaces/slow/builds/b1", "{\"phase\":\"Complete\"}");
        osiris.client.putLog("/api/v1/namespaces/slow/builds/b1/log", "a stored log\n");
    }

    @AfterEach
    void stop() throws Exception {
        osiris.close();
    }

    @Test
    void fortySlowUploadsFromTenAddressesLeaveReadsAnsweringAndNoFileBehind() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress("127.0.0." + (2 + i % 10), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port()));
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/namespaces/slow/builds/b1/log HTTP/1.1\r\nHost: osiris\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 1000000\r\n\r\nfirst bytes, then nothing\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            slow.add(socket);
        }

        long slowestRead = 0;
        long until = System.nanoTime() + (IDLE_TIMEOUT_SECONDS - 1) * 1_000_000_000L;
        int reads = 0;
        while (System.nanoTime() < until) {
            for (String path : List.of("/api/v1/namespaces/slow/builds/b1", "/api/v1/namespaces/slow/builds/b1/log",
                    "/api/v1/builds?limit=10")) {
                long started = System.nanoTime();
                HttpResponse<String> read = osiris.client.get(path);
                slowestRead = Math.max(slowestRead, (System.nanoTime() - started) / 1_000_000);
                assertThat(read.statusCode()).as(path).isEqualTo(200);
                reads++;
            }
        }

        int refused = 0;
        int cut = 0;
        for (Socket socket : slow) {
            socket.setSoTimeout((IDLE_TIMEOUT_SECONDS + 10) * 1000);
            String status = statusLine(socket);
            if (status.startsWith("HTTP/1.1 503") || status.startsWith("HTTP/1.1 429")) {
                refused++;
            } else {
                cut++; // admitted, then cut when no byte came for the idle timeout
            }
            socket.close();
        }
        System.out.printf("40 slow uploads: %d refused at once (503/429), %d cut by the idle timeout; %d reads "
                + "meanwhile, slowest %d ms; peak RSS %s%n", refused, cut, reads, slowestRead, osiris.peakRss());
        assertThat(slowestRead).isLessThan(1000);
        assertThat(refused).isEqualTo(40 - 16); // osiris.admission.max-uploads
        awaitEmptySpool(); // each cut upload's spool file goes as its worker sees the read fail
        String log = Files.readString(data.resolve("osiris.log"));
        assertThat(log.split("dropped, nothing kept", -1).length - 1).as("one line per cut upload").isEqualTo(cut);
        // a route still at work after Tomcat has ended its request (the body's timeout) finds the response recycled;
        // Tomcat may meanwhile have given the request's processor to a new connection
        assertThat(log).doesNotContain("has been recycled").doesNotContain("not usable after");
        // on a connection of its own, as the kubelet probes: the client's pooled connection has idled as long as the
        // server's idle timeout by now, and a request sent as the server closes it may be answered 408
        assertThat(new OsirisClient(port()).get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void jsonBodiesThatStopArrivingAreCutWithOneLineEachAndNothingKept() throws Exception {
        for (String path : List.of("/api/v1/namespaces/slow/builds/b2", "/build/completed/b3")) {
            try (Socket socket = new Socket("127.0.0.1", port())) {
                socket.setSoTimeout((IDLE_TIMEOUT_SECONDS + 10) * 1000);
                socket.getOutputStream().write(("PUT " + path + " HTTP/1.1\r\nHost: osiris\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"phase\":")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(statusLine(socket)).as(path).startsWith("HTTP/1.1 408");
            }
        }
        assertThat(osiris.client.get("/api/v1/namespaces/slow/builds/b2").statusCode()).isEqualTo(404);
        assertThat(osiris.client.get("/api/v1/namespaces/default/builds/b3").statusCode()).isEqualTo(404);
        String log = Files.readString(data.resolve("osiris.log"));
        // a slow client is its own doing: one line each, never an error with a stack trace
        assertThat(log.split("Request dropped: the client sent nothing for longer than the idle timeout", -1).length - 1)
                .isEqualTo(2);
        assertThat(log).doesNotContain("Unexpected failure").doesNotContain("SocketTimeoutException");
    }

    @Test
    void anUploadAbortedHalfwayLeavesNoFile() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/namespaces/slow/builds/b1/log HTTP/1.1\r\nHost: osiris\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 50000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 20; i++) {
                out.write(chunk);
            }
            out.flush();
            Thread.sleep(500);
        }
        awaitEmptySpool();
        assertThat(osiris.client.get("/api/v1/namespaces/slow/builds/b1/log").body()).isEqualTo("a stored log\n");
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefusedBeforeTheBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("PUT /api/v1/namespaces/slow/builds/b1/log HTTP/1.1\r\nHost: osiris\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 3000000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
        }
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void tenConcurrentLegacyUploadsOf32MegabytesPassA256MebibyteHeap() throws Exception {
        long size = 32_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "legacy-" + i;
            int seed = i;
            assertThat(osiris.client.putJson("/build/completed/" + id,
                    "{\"build_id\":\"" + id + "\",\"build_status\":\"BuildCompleted\"}").statusCode()).isEqualTo(202);
            uploads.add(pool.submit(() -> osiris.client.send(HttpRequest.newBuilder(osiris.client.uri("/build/logs/" + id))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> legacyBody(size, seed))).build())));
        }
        for (Future<HttpResponse<String>> upload : uploads) {
            HttpResponse<String> response = upload.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(osiris.isAlive()).as("Osiris ran out of memory").isTrue();
        for (int i = 0; i < 10; i++) {
            HttpResponse<InputStream> log = osiris.client.getStream("/api/v1/namespaces/default/builds/legacy-" + i
                    + "/log");
            assertThat(LogStreams.sha256(log.body())).isEqualTo(LogStreams.sha256(LogStreams.text(size, i)));
        }
        System.out.printf("10 concurrent legacy uploads of 32 MB, -Xmx256m: all stored; peak RSS %s%n",
                osiris.peakRss());
    }

    @Test
    void aTwentyMegabyteRecordIsRefusedAndListsStayUp() throws Exception {
        StringBuilder labels = new StringBuilder("{\"phase\":\"Complete\",\"labels\":{");
        for (int i = 0; labels.length() < 20_000_000; i++) {
            labels.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        labels.append("}}");
        byte[] body = labels.toString().getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            Thread sender = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(("PUT /api/v1/namespaces/slow/builds/huge HTTP/1.1\r\nHost: osiris\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                } catch (IOException refused) {
                    // the server stops reading once it has answered
                }
            });
            sender.start();
            assertThat(statusLine(socket)).startsWith("HTTP/1.1 413");
            socket.close();
            sender.join();
        }

        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lists.add(pool.submit(() -> osiris.client.get("/api/v1/builds?limit=1000").statusCode()));
        }
        for (Future<Integer> list : lists) {
            assertThat(list.get()).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(osiris.isAlive()).isTrue();
    }

    /** {"data": "<log>", "metadata": {...}} with the log escaped for JSON, generated as it is sent. */
    private static InputStream legacyBody(long size, long seed) {
        InputStream log = LogStreams.text(size, seed);
        InputStream escaped = new InputStream() {
            private final byte[] raw = new byte[32 * 1024];
            private final byte[] out = new byte[2 * raw.length];
            private int pos;
            private int end;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == end) {
                    int n = log.read(raw);
                    if (n == -1) {
                        return -1;
                    }
                    pos = 0;
                    end = 0;
                    for (int i = 0; i < n; i++) {
                        byte c = raw[i];
                        if (c == '\n') {
                            out[end++] = '\\';
                            out[end++] = 'n';
                        } else if (c == '"' || c == '\\') {
                            out[end++] = '\\';
                            out[end++] = c;
                        } else {
                            out[end++] = c;
                        }
                    }
                }
                int n = Math.min(len, end - pos);
                System.arraycopy(out, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        return new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream("{\"metadata\":{\"source\":\"it\"},\"data\":\"".getBytes(StandardCharsets.UTF_8)),
                escaped,
                new ByteArrayInputStream("\"}".getBytes(StandardCharsets.UTF_8)))));
    }

    private static String statusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            InputStream in = socket.getInputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
        } catch (SocketTimeoutException | java.net.SocketException closed) {
            // no answer: cut
        }
        return line.toString().trim();
    }

    private void awaitEmptySpool() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!spoolFiles().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(spoolFiles()).isEmpty();
    }

    private List<Path> spoolFiles() throws IOException {
        Path spool = data.resolve("spool");
        if (!Files.exists(spool)) {
            return List.of();
        }
        while (true) {
            try (Stream<Path> files = Files.walk(spool)) {
                // the leader election's lock files (spool/leader) are not logs
                return files.filter(Files::isRegularFile).filter(f -> !f.startsWith(spool.resolve("leader"))).toList();
            } catch (UncheckedIOException goneWhileWalking) {
                // a spool file was deleted between its listing and its attributes: walk again
            }
        }
    }

    private int port() {
        return Integer.parseInt(osiris.client.uri("").getPort() + "");
    }
}
