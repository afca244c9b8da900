package io.osiris.error;

/** A failure with a cause a client can understand; {@code field} names the offending field or parameter. */
public class OsirisException extends RuntimeException {

    private final ErrorKind kind;
    private final String field;

    public OsirisException(ErrorKind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public OsirisException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.field = null;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String field() {
        return field;
    }

    public static OsirisException badRequest(String field, String message) {
        return new OsirisException(ErrorKind.BAD_REQUEST, field, message);
    }

    public static OsirisException notFound(String message) {
        return new OsirisException(ErrorKind.NOT_FOUND, null, message);
    }
}
