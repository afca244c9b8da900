package io.osiris.api.legacy;

import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRecords;
import io.osiris.error.OsirisException;
import java.util.List;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * {@code GET /build/info/page[/{page}]}: pages of 20 builds over all namespaces, in (namespace, name, uid) order:
 * one indexed query of the build database (and a count, see {@link LegacyTotal}); no storage request.
 */
@Component("legacyPages")
public class LegacyPages {

    static final int PAGE_SIZE = 20;

    private final BuildRecords records;
    private final LegacyTotal total;

    public LegacyPages(BuildRecords records) {
        this.records = records;
        this.total = new LegacyTotal(records);
    }

    public record Page(int page, int total, boolean hasNext, List<BuildRecord> records) {
    }

    public Page page(@Header("page") String pageParam) {
        int page = parse(pageParam);
        long count = total.get();
        long from = (page - 1L) * PAGE_SIZE;
        // one more than a page tells whether another follows; a page far past the (maybe slightly old) total is empty
        List<BuildRecord> items = from > count + 100L * PAGE_SIZE ? List.of() : records.slice(from, PAGE_SIZE + 1);
        boolean hasNext = items.size() > PAGE_SIZE;
        return new Page(page, (int) Math.min(count, Integer.MAX_VALUE), hasNext,
                hasNext ? items.subList(0, PAGE_SIZE) : items);
    }

    private static int parse(String page) {
        if (page == null || page.isEmpty()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(page);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OsirisException.badRequest("page", "page must be a number from 1, got '" + page + "'");
    }
}
