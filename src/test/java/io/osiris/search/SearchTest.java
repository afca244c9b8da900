package io.osiris.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.RunningOsiris;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Search across logs: among 240 stored logs, exactly the builds that printed an error are found, with line numbers
 * and text; filters narrow the logs scanned; the bytes budget and the result limit make a search partial.
 */
@TestPropertySource(properties = "osiris.search.bytes-budget=400KB")
class SearchTest extends RunningOsiris {

    /** The 240 builds of the suite, not the one the budget test adds. */
    private static final String SUITE = "&label=suite%3Dsearch";
    private static final String ERROR = "ERROR: java.lang.OutOfMemoryError: Metaspace";
    /** The builds whose logs print the error; the logs are stored once for the class. */
    private static final Set<String> failing = new TreeSet<>();

    /** Once for the class: the routes start before each test method (Camel's test support), not before @BeforeAll. */
    @BeforeEach
    void logs() {
        if (!failing.isEmpty()) {
            return;
        }
        client = new io.osiris.support.OsirisClient(port);
        for (int i = 0; i < 240; i++) {
            String ns = i % 2 == 0 ? "search-a" : "search-b";
            String name = "app-" + i;
            boolean fails = i % 17 == 0;
            String phase = fails ? "Failed" : "Complete";
            client.putJson("/api/v1/namespaces/" + ns + "/builds/" + name, "{\"phase\":\"" + phase
                    + "\",\"labels\":{\"suite\":\"search\"}}");
            StringBuilder log = new StringBuilder();
            for (int line = 1; line <= 20; line++) {
                log.append(fails && line == 13 ? ERROR : "[INFO] step " + line + " of build " + i).append('\n');
            }
            HttpResponse<String> put = client.putLog("/api/v1/namespaces/" + ns + "/builds/" + name + "/log",
                    log.toString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            if (fails) {
                failing.add(ns + "/" + name);
            }
        }
    }

    @Test
    void findsExactlyTheBuildsWhoseLogsContainTheErrorWithLineAndText() {
        List<JsonNode> lines = search("q=" + encode("outofmemoryerror: metaspace") + SUITE);

        JsonNode summary = lines.get(lines.size() - 1).path("summary");
        List<JsonNode> hits = lines.subList(0, lines.size() - 1);
        assertThat(found(hits)).isEqualTo(failing);
        for (JsonNode hit : hits) {
            assertThat(hit.path("count").asLong()).isEqualTo(1);
            assertThat(hit.path("matches").get(0).path("line").asLong()).isEqualTo(13);
            assertThat(hit.path("matches").get(0).path("text").asText()).isEqualTo(ERROR);
            assertThat(hit.path("phase").asText()).isEqualTo("Failed");
        }
        assertThat(summary.path("partial").asBoolean()).as(summary.toString()).isFalse();
        assertThat(summary.path("builds").asLong()).isEqualTo(240);
        assertThat(summary.path("matched").asLong()).isEqualTo(failing.size());
    }

    @Test
    void filtersAndRegularExpressionsNarrowTheSearch() {
        List<JsonNode> inA = search("q=" + encode("OutOfMemoryError") + "&namespace=search-a&phase=Failed");
        assertThat(found(inA.subList(0, inA.size() - 1)))
                .isEqualTo(new TreeSet<>(failing.stream().filter(b -> b.startsWith("search-a/")).toList()));
        assertThat(inA.get(inA.size() - 1).path("summary").path("builds").asLong())
                .as("only the Failed builds of search-a were read").isEqualTo(failing.stream()
                        .filter(b -> b.startsWith("search-a/")).count());

        List<JsonNode> regex = search("q=" + encode("step (7|8) of build 3$") + "&regex=true&matches=1" + SUITE);
        assertThat(found(regex.subList(0, regex.size() - 1))).containsExactly("search-b/app-3");
        assertThat(regex.get(0).path("count").asLong()).isEqualTo(2);
        assertThat(regex.get(0).path("matches").size()).isEqualTo(1);
    }

    @Test
    void theResultLimitAndTheBytesBudgetMakeASearchPartial() {
        List<JsonNode> limited = search("q=" + encode(ERROR) + "&limit=3" + SUITE);
        assertThat(limited).hasSize(4);
        JsonNode summary = limited.get(3).path("summary");
        assertThat(summary.path("partial").asBoolean()).isTrue();
        assertThat(summary.path("stoppedBy").asText()).isEqualTo("result limit");

        client.putJson("/api/v1/namespaces/search-big/builds/huge", buildJson("Complete"));
        client.putLog("/api/v1/namespaces/search-big/builds/huge/log", "x".repeat(500 * 1024) + "\n" + ERROR + "\n");
        List<JsonNode> budget = search("q=" + encode(ERROR) + "&namespace=search-big");
        JsonNode over = budget.get(budget.size() - 1).path("summary");
        assertThat(over.path("partial").asBoolean()).isTrue();
        assertThat(over.path("stoppedBy").asText()).isEqualTo("bytes budget");
        assertThat(over.path("builds").asLong()).isZero();
    }

    @Test
    void badQueriesAreRefusedBeforeAnythingIsScanned() {
        for (String query : new String[] {"", "q=", "q=x&regex=maybe", "q=(unclosed&regex=true", "q=x&matches=0",
                "q=x&limit=0", "q=x&phase=Sleeping", "q=x&since=yesterday", "q=" + "x".repeat(1001)}) {
            HttpResponse<String> response = client.get("/api/v1/search?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(parse(response.body()).path("message").asText()).as(query).isNotEmpty();
        }
    }

    private List<JsonNode> search(String query) {
        HttpResponse<String> response = client.get("/api/v1/search?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        response.body().lines().forEach(line -> lines.add(parse(line)));
        assertThat(lines.get(lines.size() - 1).has("summary")).isTrue();
        return lines;
    }

    private static Set<String> found(List<JsonNode> hits) {
        Set<String> names = new TreeSet<>();
        hits.forEach(h -> names.add(h.path("namespace").asText() + "/" + h.path("name").asText()));
        return names;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
