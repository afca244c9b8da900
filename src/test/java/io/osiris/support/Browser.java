package io.osiris.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by Selenium through Debian's chromedriver (Selenium must not look for a driver
 * to download), on the pages of a service at {@code http://localhost:PORT}. The viewer redraws as it scrolls, so
 * texts are read with waits that read again.
 */
public final class Browser implements AutoCloseable {

    private final WebDriver driver;
    private final int port;

    public Browser(int port) {
        this.port = port;
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("osiris.chromedriver", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("osiris.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String path) {
        driver.get("http://localhost:" + port + path);
    }

    public WebDriverWait waiting(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    public List<WebElement> waitFor(By what, int atLeast) {
        return waiting(15).until(d -> {
            List<WebElement> found = d.findElements(what);
            return found.size() >= atLeast ? found : null;
        });
    }

    /** The text of an element, read again if the page re-rendered it meanwhile. */
    public String textOf(By what) {
        return waiting(15).ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
                .until(d -> d.findElement(what).getText());
    }

    /** The text of an element once it contains {@code expected} (blocks of lines arrive after the page is drawn). */
    public String textWith(By what, String expected) {
        return waiting(15).ignoring(StaleElementReferenceException.class).ignoring(NoSuchElementException.class)
                .until(d -> {
                    String text = d.findElement(what).getText();
                    return text.contains(expected) ? text : null;
                });
    }

    public Object script(String code) {
        return ((JavascriptExecutor) driver).executeScript(code);
    }

    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    /** No error in the console; {@code expected} names messages the test caused on purpose (a refused request). */
    public void assertNoConsoleErrors(String... expected) {
        assertThat(consoleErrors().stream().filter(e -> List.of(expected).stream().noneMatch(e::contains)))
                .isEmpty();
    }

    /** Saves a screenshot to target/screenshots/NAME.png. */
    public void screenshot(String name) throws IOException {
        Path directory = Path.of("target", "screenshots");
        Files.createDirectories(directory);
        Files.write(directory.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
