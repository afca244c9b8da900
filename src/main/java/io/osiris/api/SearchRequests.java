package io.osiris.api;

import io.osiris.buildlog.LineSearch;
import io.osiris.error.OsirisException;
import io.osiris.search.SearchProperties;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** {@code GET /api/v1/search}: the text or pattern and how many matching lines per build, checked before any scan. */
@Component("searchRequests")
public class SearchRequests {

    private final SearchProperties search;

    public SearchRequests(SearchProperties search) {
        this.search = search;
    }

    /** The line search to run on each log (property {@code lineSearch}). */
    public void query(Exchange exchange) {
        Message message = exchange.getMessage();
        String q = message.getHeader("q", String.class);
        if (q == null || q.isEmpty()) {
            throw OsirisException.badRequest("q", "q (the text to find) is required");
        }
        if (q.length() > LogSearchReplies.MAX_QUERY) {
            throw OsirisException.badRequest("q", "q is longer than " + LogSearchReplies.MAX_QUERY + " characters");
        }
        String regex = message.getHeader("regex", "false", String.class);
        if (!regex.equals("true") && !regex.equals("false")) {
            throw OsirisException.badRequest("regex", "regex must be true or false, got '" + regex + "'");
        }
        int perBuild = search.matchesPerBuild();
        String given = message.getHeader("matches", String.class);
        if (given != null && !given.isEmpty()) {
            try {
                perBuild = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                perBuild = 0;
            }
            if (perBuild < 1 || perBuild > 100) {
                throw OsirisException.badRequest("matches", "matches must be between 1 and 100, got '" + given + "'");
            }
        }
        try {
            exchange.setProperty("lineSearch", LineSearch.of(q, regex.equals("true"), perBuild, Duration.ZERO));
        } catch (IllegalArgumentException e) {
            throw OsirisException.badRequest("q", e.getMessage());
        }
    }
}
