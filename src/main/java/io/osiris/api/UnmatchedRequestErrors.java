package io.osiris.api;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;

/**
 * Errors that no route answers (a path or method the API does not have, a content type the contract does not take)
 * get the API's error shape {@code {status, error, message}} instead of Spring Boot's default, with a message that
 * names the problem and nothing of the request but its method and path.
 */
@Component
class UnmatchedRequestErrors extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> defaults = super.getErrorAttributes(request, ErrorAttributeOptions.defaults());
        int status = defaults.get("status") instanceof Integer s ? s : 500;
        Object path = defaults.get("path");
        String method = request instanceof ServletWebRequest servlet ? servlet.getRequest().getMethod() : null;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", status == 408 ? "Request Timeout" : defaults.getOrDefault("error", "Error"));
        body.put("message", switch (status) {
            case 404 -> "no such path: " + path;
            case 405 -> "method " + (method == null ? "" : method + " ") + "is not allowed on " + path
                    + " (see the Allow header)";
            case 406 -> "no representation of " + path + " matches the Accept header";
            case 408 -> "the request body stopped arriving (idle longer than the server's timeout)";
            case 415 -> "the Content-Type of this request is not one " + path + " accepts (see the API contract)";
            case 400 -> "the request could not be understood";
            default -> status >= 500 ? "the request failed inside Osiris; see the service log" : "request refused";
        });
        return body;
    }
}
