package com.admintk.orchestrator.tryit;

import com.admintk.orchestrator.testing.Shop;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's headless Chromium driven through Debian's chromedriver by Selenium, and the try-it page's steps the
 * browser tests share. {@code deployment/check.sh --install-tools}, which the README's test command runs first,
 * installs both packages.
 */
final class TryItBrowser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final Process chromedriver;
    private final Path profile;
    private final WebDriver driver;

    private TryItBrowser(Process chromedriver, Path profile, WebDriver driver) {
        this.chromedriver = chromedriver;
        this.profile = profile;
        this.driver = driver;
    }

    /** chromedriver on a port it binds itself (0) and names on its first lines, then headless Chromium. */
    static TryItBrowser open() throws Exception {
        assertTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "Debian's chromium and chromium-driver are needed: deployment/check.sh --install-tools installs them (as root)");
        Process chromedriver = new ProcessBuilder(CHROMEDRIVER, "--port=0").redirectErrorStream(true).start();
        Path profile = null;
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(chromedriver.getInputStream(),
                    StandardCharsets.UTF_8));
            Pattern started = Pattern.compile("started successfully on port (\\d+)");
            int port = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = output.readLine()) != null; ) {
                        Matcher matcher = started.matcher(line);
                        if (matcher.find()) {
                            return Integer.parseInt(matcher.group(1));
                        }
                    }
                    throw new IllegalStateException("chromedriver exited without a port");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).get(30, TimeUnit.SECONDS);
            // Keep draining its output so that it never blocks on a full pipe.
            Thread drain = new Thread(() -> output.lines().forEach(line -> { }), "chromedriver-output");
            drain.setDaemon(true);
            drain.start();

            profile = Files.createTempDirectory("tryit-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--window-size=1280,900", "--disable-gpu",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile);
            if ("root".equals(System.getProperty("user.name"))) {
                // Chromium's sandbox refuses to run as root.
                options.addArguments("--no-sandbox");
            }
            WebDriver driver = new RemoteWebDriver(URI.create("http://127.0.0.1:" + port).toURL(), options);
            return new TryItBrowser(chromedriver, profile, driver);
        } catch (Exception | AssertionError e) {
            chromedriver.destroy();
            removeProfile(profile);
            throw e;
        }
    }

    WebDriver driver() {
        return driver;
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, WAIT);
    }

    /** Loads the page from {@code base}, signs the demo customer in and waits for their servers. */
    void signIn(URL base) {
        driver.get(base + TryItPage.PATH);
        WebDriverWait wait = waiting();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("login")));
        driver.findElement(By.id("email")).clear();
        driver.findElement(By.id("email")).sendKeys(Shop.DEMO);
        driver.findElement(By.id("password")).sendKeys(Shop.PASSWORD);
        driver.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as " + Shop.DEMO));
    }

    /** Picks the server in the list (named {@code name}) and waits for its socket to open. */
    void watch(String serverId, String name) {
        WebDriverWait wait = waiting();
        By serverButton = By.cssSelector("#servers button[data-server='" + serverId + "']");
        WebElement listed = wait.until(ExpectedConditions.elementToBeClickable(serverButton));
        assertTrue(listed.getText().contains(name), listed.getText());
        listed.click();
        wait.until(ExpectedConditions.textToBe(By.id("socket"), "open"));
    }

    /** Types a command into the page and waits for its echo in the page's console. */
    void typeCommandAndAwaitEcho(String command) {
        driver.findElement(By.id("command")).sendKeys(command);
        driver.findElement(By.id("send")).click();
        awaitConsoleLine(command);
    }

    void awaitConsoleLine(String text) {
        waiting().until(ExpectedConditions.textMatches(By.id("console"),
                Pattern.compile("(?m)^.*" + Pattern.quote(text) + ".*$")));
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** The messages the page shows the person (errors among them), newest first. */
    String messages() {
        return driver.findElements(By.cssSelector("#messages li")).stream().map(WebElement::getText)
                .reduce("", (all, one) -> all + one + "\n");
    }

    @Override
    public void close() {
        driver.quit();
        chromedriver.destroy();
        removeProfile(profile);
    }

    private static void removeProfile(Path profile) {
        if (profile == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // a leftover browser profile under the temporary directory is harmless
        }
    }
}
