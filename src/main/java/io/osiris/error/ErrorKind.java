package io.osiris.error;

import io.grpc.Status;

/** The domain errors of Osiris and what each door answers: one table for HTTP and gRPC. */
public enum ErrorKind {
    BAD_REQUEST(400, "Bad Request", Status.Code.INVALID_ARGUMENT),
    UNAUTHENTICATED(401, "Unauthorized", Status.Code.UNAUTHENTICATED),
    FORBIDDEN(403, "Forbidden", Status.Code.PERMISSION_DENIED),
    NOT_FOUND(404, "Not Found", Status.Code.NOT_FOUND),
    CONFLICT(409, "Conflict", Status.Code.FAILED_PRECONDITION),
    PAYLOAD_TOO_LARGE(413, "Payload Too Large", Status.Code.RESOURCE_EXHAUSTED),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type", Status.Code.INVALID_ARGUMENT),
    RANGE_NOT_SATISFIABLE(416, "Range Not Satisfiable", Status.Code.OUT_OF_RANGE),
    TOO_MANY_REQUESTS(429, "Too Many Requests", Status.Code.RESOURCE_EXHAUSTED),
    SPOOL_FULL(507, "Insufficient Storage", Status.Code.RESOURCE_EXHAUSTED),
    OVERLOADED(503, "Service Unavailable", Status.Code.UNAVAILABLE),
    STORAGE_UNAVAILABLE(503, "Service Unavailable", Status.Code.UNAVAILABLE),
    CLUSTER_UNAVAILABLE(503, "Service Unavailable", Status.Code.UNAVAILABLE);

    private final int httpStatus;
    private final String reason;
    private final Status.Code grpcCode;

    ErrorKind(int httpStatus, String reason, Status.Code grpcCode) {
        this.httpStatus = httpStatus;
        this.reason = reason;
        this.grpcCode = grpcCode;
    }

    public Status.Code grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String reason() {
        return reason;
    }
}
