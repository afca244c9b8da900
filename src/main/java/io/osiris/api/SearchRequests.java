package io.osiris.api;

import io.osiris.search.SearchProperties;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** {@code GET /api/v1/search}: the text or pattern and how many matching lines per build, checked before any scan. */
@Component("searchRequests")
public class SearchRequests {

    static final int MAX_MATCHES = 100;

    private final SearchProperties search;

    public SearchRequests(SearchProperties search) {
        this.search = search;
    }

    /** The line search to run on each log (property {@code lineSearch}); {@code matches=} empty is the default. */
    public void query(Exchange exchange) {
        Message message = exchange.getMessage();
        String matches = message.getHeader("matches", String.class);
        exchange.setProperty("lineSearch", LogSearchReplies.lineSearch(message, "matches",
                matches == null || matches.isEmpty() ? null : matches, search.matchesPerBuild(), MAX_MATCHES,
                Duration.ZERO));
    }
}
