package io.osiris.api.legacy;

import io.osiris.records.BuildRecord;
import io.osiris.records.BuildRecords;
import io.osiris.error.OsirisException;
import java.util.List;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * {@code GET /build/info/page[/{page}]}: pages of 20 builds over all namespaces, in (namespace, name, uid) order:
 * one count and one indexed query of the build database; no storage request.
 */
@Component("legacyPages")
public class LegacyPages {

    static final int PAGE_SIZE = 20;

    private final BuildRecords records;

    public LegacyPages(BuildRecords records) {
        this.records = records;
    }

    public record Page(int page, int total, boolean hasNext, List<BuildRecord> records) {
    }

    public Page page(@Header("page") String pageParam) {
        int page = parse(pageParam);
        long total = records.count();
        long from = (page - 1L) * PAGE_SIZE;
        List<BuildRecord> items = from >= total ? List.of() : records.slice(from, PAGE_SIZE);
        return new Page(page, (int) Math.min(total, Integer.MAX_VALUE), from + items.size() < total, items);
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
