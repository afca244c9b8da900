package io.osiris.api.legacy;

import io.osiris.build.BuildRecord;
import io.osiris.error.OsirisException;
import io.osiris.storage.BuildRecordStore;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * {@code GET /build/info/page[/{page}]}: pages of 20 builds over all namespaces, in key order. Only the keys are
 * listed for the totals; only the 20 records of the page are read; no log is read.
 */
@Component("legacyPages")
public class LegacyPages {

    static final int PAGE_SIZE = 20;

    private final BuildRecordStore records;

    public LegacyPages(BuildRecordStore records) {
        this.records = records;
    }

    public record Page(int page, int total, boolean hasNext, List<BuildRecord> records) {
    }

    public Page page(@Header("page") String pageParam) {
        int page = parse(pageParam);
        List<String> keys = records.recordKeys();
        int from = (int) Math.min((page - 1L) * PAGE_SIZE, keys.size()); // a huge page number is past the end
        int to = Math.min(from + PAGE_SIZE, keys.size());
        List<BuildRecord> items = keys.subList(from, to).stream()
                .map(records::read).flatMap(Optional::stream).toList();
        return new Page(page, keys.size(), to < keys.size(), items);
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
