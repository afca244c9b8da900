package io.osiris.api;

import org.springframework.stereotype.Component;

/** The log size limits of the doors in bytes, for the routes ({@code logLimits}). */
@Component("logLimits")
public class LogLimits {

    private final ApiProperties api;

    public LogLimits(ApiProperties api) {
        this.api = api;
    }

    public long rest() {
        return api.maxLogSize().toBytes();
    }

    public long legacy() {
        return api.legacyMaxLogSize().toBytes();
    }
}
