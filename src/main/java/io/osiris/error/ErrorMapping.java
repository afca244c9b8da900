package io.osiris.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.net.SocketTimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The one table from failures to what a client is told. Client mistakes are 4xx with a message naming the
 * problem; storage trouble is 503; a body whose client stopped sending or went away is one log line; anything else
 * is logged here with its stack trace and reported without it.
 */
public final class ErrorMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    public record ClientError(ErrorKind kind, int status, String message, String field) {
    }

    public static ClientError of(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof OsirisException e) {
            return new ClientError(e.kind(), e.kind().httpStatus(), e.getMessage(), e.field());
        }
        if (t instanceof JsonProcessingException e) {
            return json(e);
        }
        if (t instanceof KubernetesClientException e) {
            if (e.getCode() == 404) {
                return new ClientError(ErrorKind.NOT_FOUND, 404, "not found in the cluster: " + e.getMessage(), null);
            }
            LOG.warn("Cluster API failure: {}", e.getMessage());
            return new ClientError(ErrorKind.CLUSTER_UNAVAILABLE, 503,
                    "the cluster API is unavailable, try again later", null);
        }
        String gone = clientGone(failure);
        if (gone != null) {
            // the client's doing, not a fault of the service: one line, no stack trace
            LOG.info("Request dropped: the client {}", gone);
            return new ClientError(ErrorKind.BAD_REQUEST, 400, "the request body could not be read to its end: the client "
                    + gone, null);
        }
        LOG.error("Unexpected failure", failure);
        return new ClientError(null, 500, "internal error; see the Osiris log", null);
    }

    /**
     * What the client did, when a request failed because its client stopped sending or went away (Tomcat's
     * ClientAbortException, not a socket of storage or the database); else null. Named, not imported: the routes also
     * run under Camel JBang, without Tomcat.
     */
    public static String clientGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals("org.apache.catalina.connector.ClientAbortException")) {
                return t.getCause() instanceof SocketTimeoutException
                        ? "sent nothing for longer than the idle timeout"
                        : "closed the connection";
            }
        }
        return null;
    }

    private static ClientError json(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException f) {
            message = "field '" + field + "' has an invalid value '" + f.getValue() + "'"
                    + (f.getTargetType() != null && f.getTargetType().isEnum()
                    ? ", expected one of " + java.util.Arrays.toString(f.getTargetType().getEnumConstants()) : "");
        } else if (field != null) {
            message = "field '" + field + "' is invalid: " + e.getOriginalMessage();
        } else {
            message = "malformed JSON: " + e.getOriginalMessage().replaceAll("\\s*\\(start marker at .*\\)\\s*$", "");
        }
        return new ClientError(ErrorKind.BAD_REQUEST, 400, message, field);
    }

    private static Throwable unwrap(Throwable t) {
        // our own verdict wins wherever it sits: a bound hit inside a JSON parser surfaces wrapped by the parser
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OsirisException) {
                return cause;
            }
        }
        Throwable current = t;
        while (current.getCause() != null && !(current instanceof OsirisException)
                && !(current instanceof JsonProcessingException)
                && !(current instanceof KubernetesClientException)
                && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }
}
