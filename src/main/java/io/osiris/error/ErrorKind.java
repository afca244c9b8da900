package io.osiris.error;

/** The domain errors of Osiris and the HTTP status each maps to (the gRPC door maps the same kinds). */
public enum ErrorKind {
    BAD_REQUEST(400, "Bad Request"),
    NOT_FOUND(404, "Not Found"),
    CONFLICT(409, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload Too Large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type"),
    RANGE_NOT_SATISFIABLE(416, "Range Not Satisfiable"),
    STORAGE_UNAVAILABLE(503, "Service Unavailable");

    private final int httpStatus;
    private final String reason;

    ErrorKind(int httpStatus, String reason) {
        this.httpStatus = httpStatus;
        this.reason = reason;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String reason() {
        return reason;
    }
}
