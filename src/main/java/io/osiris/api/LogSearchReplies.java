package io.osiris.api;

import io.osiris.buildlog.LineSearch;
import io.osiris.buildlog.LogArchive;
import io.osiris.buildlog.LogView;
import io.osiris.error.OsirisException;
import io.osiris.records.BuildRecord;
import io.osiris.records.LogInfo;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * {@code GET .../log/matches}: the lines of one build's log that contain a text or match a pattern, for the log
 * viewer's search (next / previous match and their count), read once as a stream within a time budget.
 */
@Component("logSearchReplies")
public class LogSearchReplies {

    static final int MAX_QUERY = 1000;
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final String SEARCH = "osirisLineSearch";

    private final ApiProperties api;

    public LogSearchReplies(ApiProperties api) {
        this.api = api;
    }

    /** Checks the query before anything is opened; the search is kept for {@link #search}. */
    public void query(Exchange exchange) {
        Message message = exchange.getMessage();
        exchange.setProperty(SEARCH, lineSearch(message, "limit", message.getHeader("limit", String.class),
                DEFAULT_LIMIT, MAX_LIMIT, api.searchBudget()));
    }

    /**
     * The line search a request asks for: {@code q} and {@code regex} checked, and at most {@code count} matching
     * lines kept (the parameter {@code countName}, {@code given} as sent or null for the default); 400 naming the
     * parameter otherwise. Shared with the search across logs.
     */
    static LineSearch lineSearch(Message message, String countName, String given, int defaultCount, int maxCount,
                                 java.time.Duration budget) {
        String q = message.getHeader("q", String.class);
        if (q == null || q.isEmpty()) {
            throw OsirisException.badRequest("q", "q (the text to find) is required");
        }
        if (q.length() > MAX_QUERY) {
            throw OsirisException.badRequest("q", "q is longer than " + MAX_QUERY + " characters");
        }
        String regex = message.getHeader("regex", "false", String.class);
        if (!regex.equals("true") && !regex.equals("false")) {
            throw OsirisException.badRequest("regex", "regex must be true or false, got '" + regex + "'");
        }
        int count = defaultCount;
        if (given != null) {
            try {
                count = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                count = 0;
            }
            if (count < 1 || count > maxCount) {
                throw OsirisException.badRequest(countName, countName + " must be between 1 and " + maxCount
                        + ", got '" + given + "'");
            }
        }
        try {
            return LineSearch.of(q, regex.equals("true"), count, budget);
        } catch (IllegalArgumentException e) {
            throw OsirisException.badRequest("q", e.getMessage());
        }
    }

    /** After log-archive-open: the result of the search (JSON). */
    public LineSearch.Result search(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        InputStream stored = exchange.getMessage().getMandatoryBody(InputStream.class);
        LogInfo log = exchange.getProperty(LogArchive.RECORD, BuildRecord.class).log();
        return exchange.getProperty(SEARCH, LineSearch.class).scan(LogView.decoded(stored, log));
    }
}
