package io.osiris.storage;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/** S3 failures as the rest of Osiris sees them: {@code STORAGE_UNAVAILABLE} (503, gRPC UNAVAILABLE). */
final class StorageFailures {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFailures.class);

    private StorageFailures() {
    }

    static <T> T translate(Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException | UncheckedIOException e) {
            throw unavailable(e);
        }
    }

    static void run(Runnable call) {
        translate(() -> {
            call.run();
            return null;
        });
    }

    static OsirisException unavailable(Exception e) {
        LOG.warn("Storage failure: {}", e.getMessage());
        return new OsirisException(ErrorKind.STORAGE_UNAVAILABLE, "storage is unavailable, try again later", e);
    }
}
