package io.osiris.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The servlet container's error page: always the API's JSON error shape ({@link UnmatchedRequestErrors}), whatever
 * the client accepts, never an HTML page. Reached for what no route answers: unknown paths and methods, and requests
 * that failed in the container, such as a body that stopped arriving (408).
 */
@RestController
class JsonErrorController implements ErrorController {

    private final ErrorAttributes attributes;

    JsonErrorController(ErrorAttributes attributes) {
        this.attributes = attributes;
    }

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        if (timedOut(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
            request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 408);
        }
        Map<String, Object> body = attributes.getErrorAttributes(new ServletWebRequest(request),
                ErrorAttributeOptions.defaults());
        int status = body.get("status") instanceof Integer s && s >= 400 && s < 600 ? s : 500;
        body.put("status", status);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static boolean timedOut(Object failure) {
        for (Throwable t = failure instanceof Throwable f ? f : null; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
