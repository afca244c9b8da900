package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.buildlog.ChunkPipe;
import io.osiris.support.Browser;
import io.osiris.support.RunningOsiris;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI as a person sees it: Debian's chromium, headless, driven by Selenium ({@link Browser}) over the
 * service on a real port. Screenshots of the pages go to target/screenshots (the README shows copies from docs/).
 */
class WebUiBrowserIT extends RunningOsiris {

    private static final long MiB = 1024 * 1024;
    private static final ExecutorService THREADS = Executors.newCachedThreadPool();
    private Browser page;
    private WebDriver browser;

    @org.junit.jupiter.api.BeforeEach
    void openBrowser() {
        page = new Browser(port);
        browser = page.driver();
    }

    @AfterEach
    void closeBrowser() {
        page.close();
    }

    @Test
    void theListShowsSeededBuildsNewestFirstAndTheUrlKeepsItsFilter() throws Exception {
        for (int i = 1; i <= 5; i++) {
            String phase = i % 2 == 0 ? "Failed" : "Complete";
            client.putJson("/api/v1/namespaces/ui-list/builds/app-" + i, "{\"phase\":\"" + phase
                    + "\",\"startTimestamp\":\"2026-11-0" + i + "T10:00:00Z\",\"completionTimestamp\":\"2026-11-0" + i
                    + "T10:03:20Z\",\"labels\":{\"app\":\"web\"}}");
            client.putLog("/api/v1/namespaces/ui-list/builds/app-" + i + "/log", "line\n".repeat(i * 10));
        }

        open("/?ns=ui-list");
        List<WebElement> rows = waitFor(By.cssSelector("#builds tr.build"), 5);
        assertThat(rows.stream().map(r -> r.findElement(By.cssSelector(".build-link")).getText()))
                .containsExactly("app-5", "app-4", "app-3", "app-2", "app-1");
        assertThat(rows.get(0).getText()).contains("Complete", "3m 20s", "50");
        screenshot("list");

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("phase"))).selectByValue("Failed");
        browser.findElement(By.cssSelector("#filters button[type=submit]")).click();
        wait(10).until(d -> d.getCurrentUrl().contains("phase=Failed"));
        rows = waitFor(By.cssSelector("#builds tr.build"), 2);
        assertThat(rows.stream().map(r -> r.findElement(By.cssSelector(".build-link")).getText()))
                .containsExactly("app-4", "app-2");
        assertThat(browser.findElements(By.cssSelector("#builds .badge.phase-failed"))).hasSize(2);
        assertThat(browser.getCurrentUrl()).contains("ns=ui-list").doesNotContain("label=");

        // the URL alone gives the same list
        open("/?ns=ui-list&phase=Failed");
        assertThat(waitFor(By.cssSelector("#builds tr.build"), 2)).hasSize(2);
        rows.clear();
        browser.findElements(By.cssSelector(".build-link")).get(0).click();
        wait(10).until(d -> d.getCurrentUrl().contains("build=app-4"));
        waitFor(By.id("L1"), 1);
        assertNoConsoleErrors();
    }

    @Test
    void buildsOfTheSameNameInTwoClustersAreTwoRowsAndEachOpensItsOwnLog() throws Exception {
        for (String cluster : List.of("dev", "prod")) {
            client.putJson("/api/v1/namespaces/ui-clusters/builds/app-1?cluster=" + cluster,
                    "{\"phase\":\"Complete\",\"startTimestamp\":\"2026-11-0" + (cluster.equals("dev") ? 1 : 2)
                            + "T10:00:00Z\"}");
            client.putLog("/api/v1/namespaces/ui-clusters/builds/app-1/log?cluster=" + cluster,
                    "built on " + cluster + "\n");
        }

        open("/?ns=ui-clusters");
        List<WebElement> rows = waitFor(By.cssSelector("#builds tr.build"), 2);
        assertThat(rows.stream().map(r -> r.findElement(By.cssSelector("td.cluster")).getText()))
                .containsExactly("prod", "dev");
        open("/?ns=ui-clusters&cluster=dev");
        rows = waitFor(By.cssSelector("#builds tr.build"), 1);
        assertThat(rows.get(0).findElement(By.cssSelector("td.cluster")).getText()).isEqualTo("dev");
        rows.get(0).findElement(By.cssSelector(".build-link")).click();
        wait(10).until(d -> d.getCurrentUrl().contains("cluster=dev"));
        assertThat(textWith(By.id("L1"), "built on")).contains("built on dev");
        assertThat(textOf(By.id("meta"))).contains("Cluster", "dev");
        assertNoConsoleErrors();
    }

    @Test
    void theSearchBoxFindsTheBuildsWhoseLogsPrintAnErrorAndLinksToTheLine() throws Exception {
        for (int i = 1; i <= 30; i++) {
            boolean fails = i % 10 == 3;
            client.putJson("/api/v1/namespaces/ui-search/builds/job-" + i, "{\"phase\":\""
                    + (fails ? "Failed" : "Complete") + "\"}");
            StringBuilder log = new StringBuilder();
            for (int line = 1; line <= 40; line++) {
                log.append(fails && line == 27 ? "FATAL: disk quota exceeded on /workspace"
                        : line == 5 ? "mvn -Dpassword=hunter22 deploy" : "step " + line).append('\n');
            }
            client.putLog("/api/v1/namespaces/ui-search/builds/job-" + i + "/log", log.toString());
        }

        open("/?ns=ui-search");
        waitFor(By.cssSelector("#builds tr.build"), 30);
        browser.findElement(By.id("search-logs")).sendKeys("disk quota exceeded");
        browser.findElement(By.id("search-button")).click();

        wait(20).until(d -> d.findElement(By.id("search-status")).getText().contains("searched"));
        List<WebElement> hits = browser.findElements(By.cssSelector("#search-results .search-hit"));
        assertThat(hits.stream().map(h -> h.findElement(By.cssSelector(".build-link")).getText()))
                .containsExactlyInAnyOrder("job-3", "job-13", "job-23");
        assertThat(textOf(By.id("search-status"))).startsWith("3 builds found. 30 logs");
        assertThat(browser.getCurrentUrl()).contains("search=disk", "ns=ui-search");
        assertThat(hits.get(0).getText()).contains("line 27", "FATAL: disk quota exceeded on /workspace", "Failed");
        assertThat(hits.get(0).getText()).doesNotContain("hunter22"); // masked at ingest, so never found either
        screenshot("search");

        hits.get(0).findElement(By.cssSelector(".line-link")).click();
        wait(10).until(d -> d.getCurrentUrl().endsWith("#L27"));
        assertThat(textWith(By.cssSelector("#L27.hl"), "FATAL")).contains("FATAL: disk quota exceeded");
        assertThat(textOf(By.id("meta"))).contains("secret-assignment ×1");
        browser.findElement(By.id("to-top")).click();
        assertThat(textWith(By.cssSelector("#L5"), "mvn")).contains("mvn -Dpassword=[MASKED] deploy");
        assertNoConsoleErrors();
    }

    @Test
    void aBuildPageShowsItsLogInColourLinksALineAndSearchesAndCountsMatches() throws Exception {
        String build = "/api/v1/namespaces/ui-build/builds/colours";
        client.putJson(build, "{\"phase\":\"Failed\",\"uid\":\"u-1\",\"labels\":{\"team\":\"a\"},"
                + "\"message\":\"exit 1\"}");
        StringBuilder log = new StringBuilder("\u001b[1;34mStep 1/3\u001b[0m : FROM base\n");
        for (int i = 2; i <= 400; i++) {
            log.append(i % 100 == 0 ? "\u001b[31mneedle failure " + i + "\u001b[0m" : "compiling unit " + i).append('\n');
        }
        client.putLog(build + "/log", log.toString());

        open("/?ns=ui-build&build=colours#L250");
        assertThat(textWith(By.cssSelector("#L250.hl"), "compiling unit 250")).contains("compiling unit 250");
        assertThat(browser.findElement(By.id("meta")).getText())
                .contains("Failed", "u-1", "team=a", "exit 1", "400", "SHA-256");

        browser.findElement(By.id("to-top")).click();
        assertThat(textWith(By.cssSelector("#L1 .tx span.fg-blue.ansi-bold"), "Step")).isEqualTo("Step 1/3");
        assertThat(textOf(By.cssSelector("#L1"))).doesNotContain("\u001b").doesNotContain("[0m");

        // a line number is a link: clicking it puts it in the URL and highlights it
        browser.findElement(By.cssSelector("#L3 a.ln")).click();
        wait(10).until(d -> d.getCurrentUrl().endsWith("#L3"));
        waitFor(By.cssSelector("#L3.hl"), 1);

        browser.findElement(By.id("search")).sendKeys("needle");
        browser.findElement(By.id("find")).click();
        wait(10).until(d -> d.findElement(By.id("match-count")).getText().equals("1 / 4"));
        assertThat(textWith(By.cssSelector("#L100.hl .tx span.fg-red"), "needle")).contains("needle failure 100");
        assertThat(browser.findElements(By.cssSelector("#L100 mark"))).hasSize(1);
        browser.findElement(By.id("next-match")).click();
        wait(10).until(d -> d.findElement(By.id("match-count")).getText().equals("2 / 4"));
        waitFor(By.cssSelector("#L200.hl"), 1);
        browser.findElement(By.id("prev-match")).click();
        browser.findElement(By.id("prev-match")).click();
        wait(10).until(d -> d.findElement(By.id("match-count")).getText().equals("4 / 4"));
        waitFor(By.cssSelector("#L400.hl"), 1);
        screenshot("build");

        browser.findElement(By.id("wrap")).click();
        assertThat(browser.findElement(By.id("log")).getAttribute("class")).contains("wrap");
        assertThat(browser.findElements(By.cssSelector(".downloads a"))).hasSize(2);
        assertNoConsoleErrors();
    }

    @Test
    void aRunningBuildsPageShowsItsLogLineByLineAndThenTheStoredLog() throws Exception {
        String build = "/api/v1/namespaces/ui-live/builds/slow";
        client.putJson(build, "{\"phase\":\"Running\",\"startTimestamp\":\"2026-12-01T10:00:00Z\"}");
        ChunkPipe pipe = new ChunkPipe(MiB);
        CompletableFuture<HttpResponse<String>> upload =
                CompletableFuture.supplyAsync(() -> client.putLog(build + "/log", pipe.input()), THREADS);
        pipe.write("first line\n".getBytes(StandardCharsets.UTF_8));
        pipe.write("second line\n".getBytes(StandardCharsets.UTF_8));

        open("/?ns=ui-live&build=slow");
        waitFor(By.cssSelector("#log-status.live"), 1);
        int written = 2;
        // lines appear while the upload is still open, one after the other: the newest line shown grows
        long shown = 0;
        for (int grew = 0; grew < 3; ) {
            written++;
            pipe.write(("\u001b[32mstep " + written + "\u001b[0m\n").getBytes(StandardCharsets.UTF_8));
            Thread.sleep(150);
            long newest = newestLineShown();
            if (newest > shown) {
                grew += shown > 0 ? 1 : 0;
                shown = newest;
            }
            if (written >= 200) {
                screenshot("live-failed");
                throw new AssertionError("the page showed no new line while 200 were written; page status '"
                        + textOf(By.id("log-status")) + "', console " + page.consoleErrors());
            }
        }
        assertThat(upload).isNotDone();
        assertThat(textOf(By.cssSelector("#L" + shown + " .fg-green"))).isEqualTo("step " + shown);
        browser.findElement(By.id("to-top")).click();
        assertThat(textWith(By.id("L1"), "first line")).contains("first line");
        screenshot("live");

        client.putJson(build, "{\"phase\":\"Complete\",\"startTimestamp\":\"2026-12-01T10:00:00Z\","
                + "\"completionTimestamp\":\"2026-12-01T10:02:00Z\"}");
        pipe.write("last line\n".getBytes(StandardCharsets.UTF_8));
        pipe.close();
        assertThat(upload.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        int lines = written + 1;

        wait(30).until(d -> d.findElement(By.id("log-status")).getText().equals("complete"));
        wait(10).until(d -> !d.findElements(By.cssSelector("h1 .badge.phase-complete")).isEmpty());
        browser.findElement(By.id("to-end")).click();
        assertThat(textWith(By.id("L" + lines), "last line")).contains("last line");
        assertThat(browser.findElement(By.id("follow-toggle")).isDisplayed()).isFalse();
        assertNoConsoleErrors();
    }

    @Test
    void aOneGibibyteLogOpensWithinTwoSecondsAndItsEndIsReachedWithoutLoadingIt() throws Exception {
        String build = "/api/v1/namespaces/ui-large/builds/gib";
        client.putJson(build, "{\"phase\":\"Complete\"}");
        long lines;
        try (InputStream log = io.osiris.support.LogStreams.buildLog(1024 * MiB, 1)) {
            HttpResponse<String> put = client.putLog(build + "/log", log);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            lines = parse(put.body()).path("lines").asLong();
        }

        long started = System.nanoTime();
        open("/?ns=ui-large&build=gib");
        wait(10).until(d -> !textOf(By.cssSelector("#L1 .tx")).equals("…"));
        long openedMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("1 GiB log (%d lines): first lines shown %d ms after opening the page%n", lines, openedMillis);
        assertThat(openedMillis).isLessThan(2000);

        started = System.nanoTime();
        browser.findElement(By.id("to-end")).click();
        String last = wait(120).until(d -> {
            String text = textOf(By.id("L" + lines));
            return text.endsWith("…") ? null : text;
        });
        long endMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("1 GiB log: its last line shown %d ms after End%n", endMillis);
        assertThat(last).startsWith(String.valueOf(lines));
        // a search reads the whole log on the server: time it and show it finds and counts
        started = System.nanoTime();
        browser.findElement(By.id("search")).sendKeys("Tests run: 7,");
        browser.findElement(By.id("find")).click();
        String count = wait(60).until(d -> {
            String text = d.findElement(By.id("match-count")).getText();
            return text.matches("1 / \\d.*") ? text : null;
        });
        System.out.printf("1 GiB log: search answered in %d ms: %s%n", (System.nanoTime() - started) / 1_000_000, count);
        Object heap = page.script("return performance.memory ? performance.memory.usedJSHeapSize : 0");
        System.out.printf("1 GiB log: page JS heap %d MiB%n", ((Number) heap).longValue() / MiB);
        assertThat(((Number) heap).longValue()).isLessThan(200 * MiB);
        assertNoConsoleErrors();
    }

    private void open(String path) {
        page.open(path);
    }

    private WebDriverWait wait(int seconds) {
        return page.waiting(seconds);
    }

    private List<WebElement> waitFor(By what, int atLeast) {
        return page.waitFor(what, atLeast);
    }

    private String textOf(By what) {
        return page.textOf(what);
    }

    private String textWith(By what, String expected) {
        return page.textWith(what, expected);
    }

    /** The number of the last line the log viewer shows (0 for none). */
    private long newestLineShown() {
        return ((Number) page.script("const rows = document.querySelectorAll('#log .row'); "
                + "return rows.length ? Number(rows[rows.length - 1].dataset.line) : 0;")).longValue();
    }

    private void assertNoConsoleErrors() {
        page.assertNoConsoleErrors();
    }

    private void screenshot(String name) throws IOException {
        page.screenshot(name);
    }
}
