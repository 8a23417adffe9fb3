package com.admintk.orchestrator.tryit;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The try-it page in a real browser: Debian's headless Chromium, driven through Debian's chromedriver by Selenium.
 * The shop runs in role dev against this test's own panel simulator; the demo customer has one ACTIVE server. The
 * person signs in, picks the server, starts it, sees stats, types a command whose echo comes back in the console,
 * and stops it. The last screenshot is {@code target/try-it.png} (the README's is {@code docs/try-it.png}).
 * {@code deployment/check.sh --install-tools}, which the README's test command runs first, installs both packages.
 */
class TryItPageBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static PanelSimulator panel;
    private static Shop shop;
    private static String serverId;
    private static String serverName;
    private static SimState.ServerView panelServer;
    private static Process chromedriver;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void open() throws Exception {
        assertTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "Debian's chromium and chromium-driver are needed: deployment/check.sh --install-tools installs them (as root)");
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofSeconds(2))
                .powerTransition(Duration.ofMillis(300)).statsInterval(Duration.ofMillis(500)).build()).start();
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("mongodb.uri", TestStack.get().mongoUri("tryit" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)));
        overrides.put("panel.url", panel.baseUrl());
        overrides.put("panel.rate-limit-key", "admintk:panel:rate:tryit-" + UUID.randomUUID());
        overrides.put("panel.rate-limit-per-minute", 6000);
        overrides.put("panel.rate-limit-burst", 200);
        shop = Shop.open(overrides);

        String token = shop.login(Shop.DEMO);
        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "tryit-" + UUID.randomUUID(), Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        serverId = (String) order.get("serverId");
        serverName = (String) shop.app().exchange(HttpRequest.GET("/api/v1/servers/" + serverId).bearerAuth(token))
                .getBody().orElseThrow().get("name");
        panelServer = panel.state().serverByExternalId("order:" + orderId).orElseThrow();
        assertEquals("offline", panelState(), "a new server waits for its owner to start it");

        browser = chromium();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
        if (chromedriver != null) {
            chromedriver.destroy();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                // a leftover browser profile under the temporary directory is harmless
            }
        }
        if (shop != null) {
            shop.close();
        }
        if (panel != null) {
            panel.close();
        }
    }

    @Test
    void aCustomerSignsInWatchesTheirServerStartsItTypesACommandAndStopsIt() throws Exception {
        browser.get(shop.app().url() + TryItPage.PATH);
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("login")));
        browser.findElement(By.id("email")).clear();
        browser.findElement(By.id("email")).sendKeys(Shop.DEMO);
        browser.findElement(By.id("password")).sendKeys(Shop.PASSWORD);
        browser.findElement(By.id("login")).click();

        wait.until(ExpectedConditions.textToBe(By.id("who"), "Signed in as " + Shop.DEMO));
        By serverButton = By.cssSelector("#servers button[data-server='" + serverId + "']");
        WebElement listed = wait.until(ExpectedConditions.elementToBeClickable(serverButton));
        assertTrue(listed.getText().contains(serverName), listed.getText());
        listed.click();

        wait.until(ExpectedConditions.textToBe(By.id("socket"), "open"));
        wait.until(ExpectedConditions.textToBe(By.id("state"), "offline"));

        browser.findElement(By.cssSelector("[data-signal='start']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "running"));
        assertEquals("running", panelState(), "the start reached the panel");
        wait.until(ExpectedConditions.textMatches(By.id("cpu"), Pattern.compile("\\d+\\.\\d %")));
        assertTrue(browser.findElement(By.id("memory")).getText().endsWith("MiB"));
        assertTrue(browser.findElement(By.id("disk")).getText().endsWith("MiB"));

        String command = "say try-it " + UUID.randomUUID().toString().substring(0, 8);
        browser.findElement(By.id("command")).sendKeys(command);
        browser.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.textMatches(By.id("console"), Pattern.compile("(?m)^.*" + Pattern.quote(command) + ".*$")));
        assertTrue(browser.findElements(By.cssSelector("#messages li")).isEmpty(),
                () -> "no error shown: " + browser.findElement(By.id("messages")).getText());
        Path screenshot = Path.of("target", "try-it.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.cssSelector("[data-signal='stop']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "offline"));
        assertEquals("offline", panelState(), "the stop reached the panel");
        assertFalse(browser.findElement(By.id("console")).getText().isBlank());
    }

    @Test
    void thePageIsServedInRoleDevOnly() {
        HttpResponse<String> page = shop.app().http().exchange(HttpRequest.GET(TryItPage.PATH), String.class);
        assertEquals(200, page.code());
        assertTrue(page.body().contains("/try/try.js"), page.body());
        assertTrue(page.getHeaders().get("Content-Security-Policy").contains("connect-src 'self'"));
        assertEquals(404, shop.app().exchange(HttpRequest.GET(TryItPage.PATH + "/missing.js")).code());
        for (String role : new String[] {"api", "worker"}) {
            try (TestApp other = TestApp.start(role)) {
                HttpResponse<Map<String, Object>> answer = other.exchange(HttpRequest.GET(TryItPage.PATH));
                assertEquals(404, answer.code(), role);
                assertEquals("NOT_FOUND", TestApp.error(answer).get("code"), role);
            }
        }
    }

    private static String panelState() {
        return panel.state().server(panelServer.id()).orElseThrow().powerState();
    }

    /** Debian's chromedriver on a port it binds itself (0) and names on its first lines, then headless Chromium. */
    private static WebDriver chromium() throws Exception {
        chromedriver = new ProcessBuilder(CHROMEDRIVER, "--port=0").redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(chromedriver.getInputStream(), StandardCharsets.UTF_8));
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
        options.addArguments("--headless=new", "--window-size=1280,900", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile);
        if ("root".equals(System.getProperty("user.name"))) {
            // Chromium's sandbox refuses to run as root.
            options.addArguments("--no-sandbox");
        }
        return new RemoteWebDriver(URI.create("http://127.0.0.1:" + port).toURL(), options);
    }
}
