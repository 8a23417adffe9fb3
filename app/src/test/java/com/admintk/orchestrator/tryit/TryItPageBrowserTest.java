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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The try-it page in a real browser: Debian's headless Chromium, driven through Debian's chromedriver by Selenium.
 * The shop runs in role dev against this test's own panel simulator; the demo customer has one ACTIVE server. The
 * person signs in, picks the server, starts it, sees stats, types a command whose echo comes back in the console,
 * and stops it. The last screenshot is {@code target/try-it.png} (the README's is {@code docs/try-it.png}).
 */
class TryItPageBrowserTest {

    private static PanelSimulator panel;
    private static Shop shop;
    private static String serverId;
    private static String serverName;
    private static SimState.ServerView panelServer;
    private static TryItBrowser browser;

    @BeforeAll
    static void open() throws Exception {
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

        browser = TryItBrowser.open();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
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
        browser.signIn(shop.app().url());
        browser.watch(serverId, serverName);
        WebDriverWait wait = browser.waiting();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "offline"));

        browser.driver().findElement(By.cssSelector("[data-signal='start']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "running"));
        assertEquals("running", panelState(), "the start reached the panel");
        wait.until(ExpectedConditions.textMatches(By.id("cpu"), Pattern.compile("\\d+\\.\\d %")));
        assertTrue(browser.text("memory").endsWith("MiB"));
        assertTrue(browser.text("disk").endsWith("MiB"));

        String command = "say try-it " + UUID.randomUUID().toString().substring(0, 8);
        browser.typeCommandAndAwaitEcho(command);
        assertTrue(browser.messages().isEmpty(), () -> "no error shown: " + browser.messages());
        Path screenshot = Path.of("target", "try-it.png");
        Files.createDirectories(screenshot.getParent());
        Files.write(screenshot, ((TakesScreenshot) browser.driver()).getScreenshotAs(OutputType.BYTES));

        browser.driver().findElement(By.cssSelector("[data-signal='stop']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "offline"));
        assertEquals("offline", panelState(), "the stop reached the panel");
        assertFalse(browser.text("console").isBlank());
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
}
