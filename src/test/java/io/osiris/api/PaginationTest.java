package io.osiris.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.osiris.support.RunningOsiris;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyset pagination over 1,100 builds: every build once, in order, whatever else happens meanwhile. */
class PaginationTest extends RunningOsiris {

    private static final int BUILDS = 1100;

    private static boolean seeded;

    /** Once per class, but not in @BeforeAll: the Camel test support starts Camel before each test method. */
    @BeforeEach
    void manyBuilds() throws Exception {
        if (seeded) {
            return;
        }
        seeded = true;
        client = new io.osiris.support.OsirisClient(port);
        // as many at once as osiris.admission.max-uploads-per-client (8) allows
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<java.net.http.HttpResponse<String>>> puts = new ArrayList<>();
        for (int i = 0; i < BUILDS; i++) {
            String name = String.format("build-%04d", i);
            String phase = i % 10 == 0 ? "Failed" : "Complete";
            puts.add(pool.submit(() -> client.putJson("/api/v1/namespaces/many/builds/" + name,
                    buildJson(phase))));
        }
        for (Future<java.net.http.HttpResponse<String>> put : puts) {
            assertThat(put.get().statusCode()).as(put.get().uri() + " " + put.get().body()).isEqualTo(200);
        }
        pool.shutdown();
    }

    @Test
    void pagesWalkEveryBuildOnceInOrder() {
        List<String> seen = walk("/api/v1/namespaces/many/builds?limit=100", 100);

        assertThat(seen).hasSize(BUILDS).doesNotHaveDuplicates().isSorted();
        assertThat(seen.get(0)).isEqualTo("build-0000");
        assertThat(seen.get(BUILDS - 1)).isEqualTo("build-1099");
    }

    @Test
    void newestFirstPagesWalkEveryBuildOnceByStartTimeThenName() {
        // two builds start at each minute: the name breaks the tie
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            String name = String.format("n-%03d", i);
            String start = java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * (i / 2)).toString();
            client.putJson("/api/v1/namespaces/newest/builds/" + name, "{\"phase\":\"" + (i % 3 == 0 ? "Failed" : "Complete")
                    + "\",\"startTimestamp\":\"" + start + "\",\"labels\":{\"team\":\"" + (i % 2) + "\"}}");
            expected.add(0, name);
        }
        for (int i = 0; i < expected.size() - 1; i += 2) { // within a minute, the greater name first
            assertThat(expected.get(i).compareTo(expected.get(i + 1))).isPositive();
        }

        assertThat(walk("/api/v1/namespaces/newest/builds?order=newest&limit=40", 40)).isEqualTo(expected);
        assertThat(walk("/api/v1/builds?order=newest&limit=25&namePrefix=n-", 25)).isEqualTo(expected);
        assertThat(walk("/api/v1/namespaces/newest/builds?order=newest&limit=7&phase=Failed", 7))
                .isEqualTo(expected.stream().filter(n -> Integer.parseInt(n.substring(2)) % 3 == 0).toList());
        assertThat(walk("/api/v1/namespaces/newest/builds?order=newest&limit=9&label=team%3D1", 9))
                .isEqualTo(expected.stream().filter(n -> Integer.parseInt(n.substring(2)) % 2 == 1).toList());
        // a token of a name-sorted list does not fit a newest-first one
        String nameToken = parse(client.get("/api/v1/namespaces/newest/builds?limit=5").body()).path("continue").asText();
        assertThat(client.get("/api/v1/namespaces/newest/builds?order=newest&continue=" + nameToken).statusCode())
                .isEqualTo(400);
        assertThat(client.get("/api/v1/namespaces/newest/builds?order=oldest").statusCode()).isEqualTo(400);
    }

    @Test
    void theLargestPageAndAFilterAlsoSpanSeveralListings() {
        assertThat(walk("/api/v1/namespaces/many/builds?limit=1000", 1000)).hasSize(BUILDS);
        assertThat(walk("/api/v1/namespaces/many/builds?limit=50&phase=Failed", 50))
                .hasSize(BUILDS / 10)
                .allMatch(name -> name.endsWith("0"));
    }

    @Test
    void twoReadersPagingAtOnceDoNotDisturbEachOther() {
        JsonNode a1 = parse(client.get("/api/v1/namespaces/many/builds?limit=10").body());
        JsonNode b1 = parse(client.get("/api/v1/namespaces/many/builds?limit=25").body());
        JsonNode a2 = parse(client.get("/api/v1/namespaces/many/builds?limit=10&continue="
                + a1.path("continue").asText()).body());

        assertThat(a2.path("items").get(0).path("name").asText()).isEqualTo("build-0010");
        assertThat(b1.path("items").get(24).path("name").asText()).isEqualTo("build-0024");
    }

    @Test
    void aNamePrefixSelectsExactlyTheNamesThatStartWithIt() {
        assertThat(walk("/api/v1/namespaces/many/builds?limit=7&namePrefix=build-10", 7))
                .hasSize(100).allMatch(name -> name.startsWith("build-10")).isSorted();
        assertThat(walk("/api/v1/builds?limit=100&namePrefix=build-0999", 100)).containsExactly("build-0999");
        assertThat(client.get("/api/v1/builds?namePrefix=Bad%25").statusCode()).isEqualTo(400);
    }

    @Test
    void aTokenStaysValidWhileBuildsAreAddedAndRemovedAroundIt() {
        String first = "/api/v1/namespaces/churn/builds?limit=5";
        for (String name : List.of("b-10", "b-20", "b-30", "b-40", "b-50", "b-60", "b-70", "b-80")) {
            client.putJson("/api/v1/namespaces/churn/builds/" + name, buildJson("Complete"));
        }
        JsonNode page1 = parse(client.get(first).body());
        assertThat(page1.path("items").get(4).path("name").asText()).isEqualTo("b-50");

        // meanwhile: a build before the cursor and one after it appear, one after it goes
        client.putJson("/api/v1/namespaces/churn/builds/b-15", buildJson("Complete"));
        client.putJson("/api/v1/namespaces/churn/builds/b-65", buildJson("Complete"));
        client.delete("/api/v1/namespaces/churn/builds/b-70");

        JsonNode page2 = parse(client.get(first + "&continue="
                + URLEncoder.encode(page1.path("continue").asText(), StandardCharsets.UTF_8)).body());
        List<String> rest = new ArrayList<>();
        page2.path("items").forEach(item -> rest.add(item.path("name").asText()));
        assertThat(rest).containsExactly("b-60", "b-65", "b-80");
    }

    @Test
    void aTokenOfAnotherListOrAForgedOneIsRefused() {
        String token = parse(client.get("/api/v1/namespaces/many/builds?limit=10").body()).path("continue").asText();
        assertThat(client.get("/api/v1/namespaces/other/builds?continue=" + token).statusCode()).isEqualTo(400);
        for (String forged : List.of("not-base64!", "WzFd", "eyJhIjoxfQ")) {
            var answer = client.get("/api/v1/builds?continue=" + forged);
            assertThat(answer.statusCode()).isEqualTo(400);
            assertThat(answer.body()).contains("continue");
        }
    }

    @Test
    void theLegacyPagesCountEveryBuild() {
        JsonNode page = parse(client.get("/build/info/page/2").body()).path("data").path("payload");

        assertThat(page.path("total").asInt()).isGreaterThanOrEqualTo(BUILDS);
        assertThat(page.path("build_info")).hasSize(20);
        assertThat(page.path("has_prev").asBoolean()).isTrue();
        assertThat(page.path("has_next").asBoolean()).isTrue();
    }

    private List<String> walk(String first, int limit) {
        List<String> names = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String path = first;
        while (true) {
            JsonNode page = parse(client.get(path).body());
            assertThat(page.path("items").size()).isLessThanOrEqualTo(limit);
            page.path("items").forEach(item -> names.add(item.path("name").asText()));
            if (!page.hasNonNull("continue")) {
                return names;
            }
            String token = page.path("continue").asText();
            assertThat(tokens.add(token)).as("token repeats").isTrue();
            path = first + "&continue=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        }
    }
}
