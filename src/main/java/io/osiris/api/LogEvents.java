package io.osiris.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A log as Server-Sent Events: one event per line, its line number as id (a client that reconnects with
 * {@code Last-Event-ID} resumes after it), then an {@code end} event with the number of the last line. A line's
 * bytes are sent as they are (UTF-8 logs stay UTF-8); a carriage return inside a line splits it into two
 * {@code data} fields (the client sees a newline there), a trailing one is dropped; lines longer than
 * {@link #MAX_LINE} bytes are cut there. Silence longer than the keep-alive gets a comment line.
 */
final class LogEvents {

    static final int MAX_LINE = 64 * 1024;
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private long number;

    LogEvents(OutputStream out) {
        this.out = out;
    }

    void send(LogFollowReplies.Source source, Duration keepAlive) throws IOException {
        out.write("retry: 3000\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buffer = new byte[64 * 1024];
        boolean numbered = false;
        int n;
        while ((n = source.read(buffer, 0, buffer.length, keepAlive)) != -1) {
            if (!numbered) {
                number = source.firstLine(); // known once the source has read up to its start
                numbered = true;
            }
            if (n == 0) {
                out.write(KEEP_ALIVE);
                out.flush();
                continue;
            }
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    event();
                } else if (length < MAX_LINE) {
                    line[length++] = b;
                }
            }
            out.flush();
        }
        if (!numbered) {
            number = source.firstLine();
        }
        if (length > 0) {
            event(); // the last line, without newline
        }
        write("event: end\ndata: {\"lastLine\":" + (number - 1) + "}\n\n");
        out.flush();
    }

    /** An {@code error} event: the log stops here and is not complete. */
    void error(String message) throws IOException {
        write("event: error\ndata: {\"message\":\"" + message.replace("\"", "'") + "\"}\n\n");
        out.flush();
    }

    private void event() throws IOException {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        write("id: " + number + "\ndata: ");
        int from = 0;
        for (int i = 0; i < end; i++) {
            if (line[i] == '\r') {
                out.write(line, from, i - from);
                out.write("\ndata: ".getBytes(StandardCharsets.US_ASCII));
                from = i + 1;
            }
        }
        out.write(line, from, end - from);
        out.write('\n');
        out.write('\n');
        number++;
        length = 0;
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
