package io.osiris.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The actuator's paths on the service port (health, metrics): the API's filters (start-up gate, admission, bodies,
 * HEAD) leave them alone, so that probes answer whatever the API is doing.
 */
public final class ManagementPaths {

    private ManagementPaths() {
    }

    public static boolean isManagement(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }
}
