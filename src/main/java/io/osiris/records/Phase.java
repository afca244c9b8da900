package io.osiris.records;

import java.util.Locale;
import java.util.Optional;

/** Phases of an OpenShift Build ({@code status.phase}). */
public enum Phase {
    New, Pending, Running, Complete, Failed, Error, Cancelled;

    /** A terminal build has a final log: every one of these is collected, not only Complete. */
    public boolean isTerminal() {
        return this == Complete || this == Failed || this == Error || this == Cancelled;
    }

    /** Case-insensitive lookup that also understands the reasons of OpenShift build events. */
    public static Optional<Phase> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("build")) { // event reasons: BuildStarted, BuildCompleted, BuildFailed, BuildCancelled
            t = t.substring("build".length());
        }
        return switch (t) {
            case "new" -> Optional.of(New);
            case "pending" -> Optional.of(Pending);
            case "running", "started" -> Optional.of(Running);
            case "complete", "completed", "succeeded" -> Optional.of(Complete);
            case "failed", "failure" -> Optional.of(Failed);
            case "error" -> Optional.of(Error);
            case "cancelled", "canceled" -> Optional.of(Cancelled);
            default -> Optional.empty();
        };
    }
}
