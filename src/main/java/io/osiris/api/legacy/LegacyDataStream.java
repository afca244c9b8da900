package io.osiris.api.legacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.error.OsirisException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * The {@code data} string of a legacy log upload {@code {"data": "...", "metadata": {...}}}, decoded as it is read:
 * the log goes from the request into the spool without ever being held whole (Jackson keeps a string value whole, so
 * this one field is decoded here). The other members are small; each is checked by Jackson, at most
 * {@link #MAX_OTHER_MEMBER} bytes. Malformed JSON, a missing or repeated {@code data}, or anything after the object
 * fails the read with a 400, a log past {@code maxBytes} with the 413 of {@code tooLarge}.
 */
final class LegacyDataStream extends InputStream {

    static final int MAX_OTHER_MEMBER = 1024 * 1024;
    private static final int MAX_KEY = 1024;

    private enum State { BEFORE_DATA, IN_DATA, DONE }

    private final InputStream in;
    private final ObjectMapper json;
    private final long maxBytes;
    private final Supplier<OsirisException> tooLarge;
    private State state = State.BEFORE_DATA;
    private long written;
    /** UTF-8 bytes of an escape not yet handed out. */
    private final byte[] escaped = new byte[4];
    private int escapedFrom;
    private int escapedTo;
    private int peeked = -2;

    LegacyDataStream(InputStream body, ObjectMapper json, long maxBytes, Supplier<OsirisException> tooLarge) {
        this.in = new BufferedInputStream(body, 64 * 1024);
        this.json = json;
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (state == State.BEFORE_DATA) {
            expect('{', "the body must be a JSON object");
            membersUntilData(true);
        }
        if (state == State.DONE) {
            return -1;
        }
        int n = 0;
        while (n < len) {
            if (escapedFrom < escapedTo) {
                b[off + n++] = escaped[escapedFrom++];
                continue;
            }
            int c = next();
            if (c == -1) {
                throw malformed("the body ends inside 'data'");
            }
            if (c == '"') {
                membersUntilData(false);
                break;
            }
            if (c < 0x20) {
                throw malformed("'data' holds an unescaped control character");
            }
            if (c == '\\') {
                unescape();
                continue;
            }
            b[off + n++] = (byte) c;
        }
        written += n;
        if (written > maxBytes) {
            throw tooLarge.get();
        }
        return n == 0 && state == State.DONE ? -1 : n;
    }

    /**
     * Reads members until the value of {@code data} starts (state IN_DATA) or the object ends (state DONE; then it
     * must be the end of the body). {@code first}: right after the opening brace.
     */
    private void membersUntilData(boolean afterBrace) throws IOException {
        boolean seenData = !afterBrace;
        state = State.DONE;
        int c = nonSpace();
        boolean memberNext = afterBrace;
        while (true) {
            if (memberNext && afterBrace && c == '}') {
                break; // {}
            }
            if (!memberNext) {
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw malformed("expected ',' or '}' after a member");
                }
                c = nonSpace();
            }
            memberNext = false;
            afterBrace = false;
            if (c != '"') {
                throw malformed("expected a member name");
            }
            String key = key();
            expect(':', "expected ':' after the member name");
            if ("data".equals(key)) {
                if (seenData) {
                    throw OsirisException.badRequest("data", "field 'data' appears twice");
                }
                if (nonSpace() != '"') {
                    throw OsirisException.badRequest("data", "data must be a string");
                }
                state = State.IN_DATA;
                return;
            }
            skipValue();
            c = nonSpace();
        }
        if (!seenData) {
            throw OsirisException.badRequest("data", "field 'data' is required");
        }
        if (nonSpace() != -1) {
            throw malformed("the body goes on after the JSON object");
        }
    }

    /** A member name (the opening quote read), decoded by Jackson. */
    private String key() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write('"');
        copyString(raw, MAX_KEY);
        return json.readValue(raw.toByteArray(), String.class);
    }

    /** Copies the rest of a string (after its opening quote) with its closing quote, escapes as they are. */
    private void copyString(ByteArrayOutputStream out, int max) throws IOException {
        while (true) {
            int c = next();
            if (c == -1) {
                throw malformed("the body ends inside a string");
            }
            out.write(c);
            if (out.size() > max) {
                throw OsirisException.badRequest("body", "a member of the body is longer than " + max + " bytes");
            }
            if (c == '\\') {
                int e = next();
                if (e == -1) {
                    throw malformed("the body ends inside a string");
                }
                out.write(e);
            } else if (c == '"') {
                return;
            }
        }
    }

    /** Any other member's value: captured (bounded) and checked by Jackson, then dropped. */
    private void skipValue() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int depth = 0;
        int c = nonSpace();
        while (true) {
            if (c == -1) {
                throw malformed("the body ends inside a value");
            }
            if (depth == 0 && (c == ',' || c == '}') && raw.size() > 0) {
                unread(c);
                break;
            }
            raw.write(c);
            if (raw.size() > MAX_OTHER_MEMBER) {
                throw OsirisException.badRequest("body", "a member of the body is longer than "
                        + MAX_OTHER_MEMBER + " bytes");
            }
            if (c == '"') {
                copyString(raw, MAX_OTHER_MEMBER);
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth < 0) {
                    throw malformed("unbalanced brackets");
                }
            }
            c = next();
        }
        try {
            json.readTree(raw.toByteArray());
        } catch (IOException e) {
            throw malformed("a member's value is not valid JSON");
        }
    }

    private void unescape() throws IOException {
        int e = next();
        int code = switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4();
            default -> throw malformed("invalid escape in 'data'");
        };
        if (Character.isHighSurrogate((char) code)) {
            if (next() != '\\' || next() != 'u') {
                throw malformed("a lone surrogate in 'data'");
            }
            int low = hex4();
            if (!Character.isLowSurrogate((char) low)) {
                throw malformed("a lone surrogate in 'data'");
            }
            code = Character.toCodePoint((char) code, (char) low);
        } else if (Character.isLowSurrogate((char) code)) {
            throw malformed("a lone surrogate in 'data'");
        }
        utf8(code);
    }

    private void utf8(int code) {
        escapedFrom = 0;
        if (code < 0x80) {
            escaped[0] = (byte) code;
            escapedTo = 1;
        } else if (code < 0x800) {
            escaped[0] = (byte) (0xc0 | code >> 6);
            escaped[1] = (byte) (0x80 | code & 0x3f);
            escapedTo = 2;
        } else if (code < 0x10000) {
            escaped[0] = (byte) (0xe0 | code >> 12);
            escaped[1] = (byte) (0x80 | code >> 6 & 0x3f);
            escaped[2] = (byte) (0x80 | code & 0x3f);
            escapedTo = 3;
        } else {
            escaped[0] = (byte) (0xf0 | code >> 18);
            escaped[1] = (byte) (0x80 | code >> 12 & 0x3f);
            escaped[2] = (byte) (0x80 | code >> 6 & 0x3f);
            escaped[3] = (byte) (0x80 | code & 0x3f);
            escapedTo = 4;
        }
    }

    private int hex4() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(next(), 16);
            if (digit < 0) {
                throw malformed("invalid \\u escape in 'data'");
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private void expect(int wanted, String problem) throws IOException {
        if (nonSpace() != wanted) {
            throw wanted == '{' ? OsirisException.badRequest("body", problem) : malformed(problem);
        }
    }

    private int nonSpace() throws IOException {
        int c;
        do {
            c = next();
        } while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
        return c;
    }

    private int next() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        peeked = c;
    }

    private static OsirisException malformed(String problem) {
        return OsirisException.badRequest("body", "malformed JSON: " + problem);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
