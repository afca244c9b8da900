package io.osiris.api;

import io.osiris.error.ErrorKind;
import io.osiris.error.OsirisException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The uploads Osiris takes at once, shared by every door (REST and legacy bodies, gRPC PutLog): at most
 * {@code osiris.admission.max-uploads} in all and {@code max-uploads-per-client} from one client address. An upload
 * holds its slot while its client sends, however slowly; the bounds keep slow senders from taking every worker.
 */
@Component
public class UploadSlots {

    private final AdmissionProperties limits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> byClient = new ConcurrentHashMap<>();

    public UploadSlots(AdmissionProperties limits) {
        this.limits = limits;
    }

    /** A slot for an upload from {@code client}: 503 (OVERLOADED) when all are taken, 429 past the client's share. */
    public Slot take(String client) {
        String key = client == null ? "-" : client;
        if (inFlight.incrementAndGet() > limits.maxUploads()) {
            inFlight.decrementAndGet();
            throw new OsirisException(ErrorKind.OVERLOADED, null, "Osiris is at its limit of "
                    + limits.maxUploads() + " uploads in flight; try again shortly");
        }
        AtomicInteger mine = byClient.computeIfAbsent(key, c -> new AtomicInteger());
        if (mine.incrementAndGet() > limits.maxUploadsPerClient()) {
            new Slot(key).close();
            throw new OsirisException(ErrorKind.TOO_MANY_REQUESTS, null, "this client already sends "
                    + limits.maxUploadsPerClient() + " uploads at once; try again when one is done");
        }
        return new Slot(key);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** A taken slot; closing it (once or more) gives it back. */
    public final class Slot implements AutoCloseable {
        private final String client;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Slot(String client) {
            this.client = client;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                inFlight.decrementAndGet();
                byClient.computeIfPresent(client, (c, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }
}
