package io.osiris.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.osiris.support.Browser;
import io.osiris.support.OsirisClient;
import io.osiris.support.RunningOsiris;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The web UI with access control on (tokens file): nothing without a token, and with a token only the namespaces that
 * token may read, as a person sees it in a real browser.
 */
class WebUiAccessBrowserIT extends RunningOsiris {

    private static final String ADMIN = "admin-5d1c8e2f9a7b4c30e6f1";
    private static final String TEAM_A = "reader-a-8c3e1f7a2b9d4e60c5f2";

    @DynamicPropertySource
    static void tokens(DynamicPropertyRegistry registry) {
        registry.add("osiris.auth.mode", () -> "tokens");
        registry.add("osiris.auth.tokens-file", WebUiAccessBrowserIT::tokensFile);
    }

    private static String tokensFile() {
        try {
            Path file = Files.createTempDirectory("osiris-ui-tokens").resolve("tokens.yaml");
            Files.writeString(file, "tokens:\n"
                    + "  - name: admin\n    sha256: " + sha256(ADMIN) + "\n    namespaces: [\"*\"]\n"
                    + "    verbs: [get, list, create, update]\n"
                    + "  - name: alice\n    sha256: " + sha256(TEAM_A) + "\n    namespaces: [team-a]\n"
                    + "    verbs: [get, list]\n");
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aTokenEnteredOnceShowsItsNamespacesAndNothingElse() throws Exception {
        OsirisClient admin = new OsirisClient(port, ADMIN);
        for (String ns : new String[] {"team-a", "team-b"}) {
            admin.putJson("/api/v1/namespaces/" + ns + "/builds/app-1", "{\"phase\":\"Complete\"}");
            admin.putLog("/api/v1/namespaces/" + ns + "/builds/app-1/log", "log of " + ns + "\n");
        }

        try (Browser page = new Browser(port)) {
            page.open("/?ns=team-a");
            assertThat(page.textWith(By.id("notice"), "token")).contains("needs a bearer token");
            assertThat(page.driver().findElement(By.id("token-form")).isDisplayed()).isTrue();
            assertThat(page.driver().findElements(By.cssSelector("#builds tr.build"))).isEmpty();

            page.driver().findElement(By.id("token-input")).sendKeys(TEAM_A);
            page.driver().findElement(By.cssSelector("#token-form button[type=submit]")).click();
            assertThat(page.waitFor(By.cssSelector("#builds tr.build"), 1)).hasSize(1);
            assertThat(page.textOf(By.cssSelector("#builds"))).contains("team-a").doesNotContain("team-b");

            // the token stays for the tab: the build page and its log load with it
            page.driver().findElement(By.cssSelector(".build-link")).click();
            assertThat(page.textWith(By.id("L1"), "log of team-a")).contains("log of team-a");

            // every namespace at once needs list at cluster scope; another team's build is refused
            page.open("/");
            assertThat(page.textWith(By.id("notice"), "namespace")).contains("Choose a namespace you may read");
            page.open("/?ns=team-b&build=app-1");
            assertThat(page.textWith(By.id("notice"), "may not")).contains("You may not see build team-b/app-1");
            assertThat(page.driver().findElements(By.id("L1"))).isEmpty();
            page.assertNoConsoleErrors("401", "403");
        }
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
