package io.osiris.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.osiris.error.ErrorMapping;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Turns the failure of a v1 request into its JSON error reply (route configuration {@code api-errors}). */
@Component("apiErrors")
public class ApiErrors {

    private final ObjectMapper json;

    public ApiErrors(ObjectMapper json) {
        this.json = json;
    }

    public void reply(Exchange exchange) throws JsonProcessingException {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ErrorMapping.ClientError error = ErrorMapping.of(failure);
        String reason = error.kind() != null ? error.kind().reason() : "Internal Server Error";
        HttpReplies.json(exchange, error.status(),
                json.writeValueAsBytes(new ErrorBody(error.status(), reason, error.message(), error.field())));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(int status, String error, String message, String field) {
    }
}
