package io.osiris.access;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The start refused because mode none would listen where other hosts reach it. */
class AnonymousAccessRefused extends IllegalStateException {

    AnonymousAccessRefused(String message) {
        super(message);
    }

    /** Says so in Spring Boot's "APPLICATION FAILED TO START" report, without a stack trace to dig through. */
    static class Analyzer extends AbstractFailureAnalyzer<AnonymousAccessRefused> {
        @Override
        protected FailureAnalysis analyze(Throwable root, AnonymousAccessRefused cause) {
            return new FailureAnalysis(cause.getMessage(), "For development, run on 127.0.0.1 (the default "
                    + "server.address); for a deployment set OSIRIS_AUTH_MODE=kubernetes (and/or tokens with "
                    + "OSIRIS_AUTH_TOKENS_FILE); to allow anonymous access anyway set OSIRIS_AUTH_ALLOW_ANONYMOUS=true.",
                    cause);
        }
    }
}
