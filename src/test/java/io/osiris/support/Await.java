package io.osiris.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for an asynchronous outcome: polls until the probe returns a value, failing after a deadline. */
public final class Await {

    private Await() {
    }

    public static <T> T value(Duration timeout, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not reached within " + timeout.toSeconds() + " s");
    }
}
