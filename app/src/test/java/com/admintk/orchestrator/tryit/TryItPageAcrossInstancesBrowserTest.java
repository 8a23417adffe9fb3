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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 1 and 2 of the live operations with a real browser: the try-it page in headless Chromium behind a
 * load balancer ({@link SwitchingProxy}) in front of two API instances that share one Redis and one MongoDB.
 * Instance A is the shop in role dev (it serves the page), instance B an API process; both talk to this test's own
 * panel simulator. The page is loaded from A and watches the server there; a command sent to B's REST route echoes
 * in the page. Then the balancer sends new connections to B and A shuts down: the page reconnects on its own, the
 * snapshot replaces its console, and a command typed in the page echoes again. The simulator counts the Wings
 * sockets: never two at once for the server.
 */
class TryItPageAcrossInstancesBrowserTest {

    private static PanelSimulator panel;
    private static Shop shopA;
    private static TestApp b;
    private static SwitchingProxy balancer;
    private static TryItBrowser browser;
    private static String owner;
    private static String serverId;
    private static String serverName;
    private static SimState.ServerView panelServer;

    @BeforeAll
    static void open() throws Exception {
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofSeconds(2))
                .powerTransition(Duration.ofMillis(300)).statsInterval(Duration.ofMillis(500)).build()).start();
        Map<String, Object> shared = new HashMap<>();
        shared.put("mongodb.uri", TestStack.get().mongoUri("tryit2" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)));
        shared.put("panel.url", panel.baseUrl());
        shared.put("panel.rate-limit-key", "admintk:panel:rate:tryit2-" + UUID.randomUUID());
        shared.put("panel.rate-limit-per-minute", 6000);
        shared.put("panel.rate-limit-burst", 200);
        shared.put("orchestrator.metrics.server-usage.max-servers", 0);
        shared.put("orchestrator.security.rate-limit.enabled", false);
        shared.put("orchestrator.security.bcrypt-cost", 4);
        // A short watch lease, so that B takes the Wings socket over soon after A is gone.
        shared.put("orchestrator.live.socket.watch-ttl", "3s");
        shared.put("orchestrator.live.socket.watch-renew", "1s");
        shopA = Shop.open(shared);
        b = TestApp.start("api", shared);

        owner = shopA.login(Shop.DEMO);
        HttpResponse<Map<String, Object>> accepted = shopA.checkout(owner, "tryit2-" + UUID.randomUUID(),
                Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shopA.awaitOrder(owner, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        serverId = (String) order.get("serverId");
        serverName = (String) b.exchange(HttpRequest.GET("/api/v1/servers/" + serverId).bearerAuth(owner))
                .getBody().orElseThrow().get("name");
        panelServer = panel.state().serverByExternalId("order:" + orderId).orElseThrow();

        balancer = SwitchingProxy.to(shopA.app().url());
        browser = TryItBrowser.open();
    }

    @AfterAll
    static void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        if (b != null) {
            b.close();
        }
        if (shopA != null) {
            shopA.close();
        }
        if (panel != null) {
            panel.close();
        }
    }

    @Test
    void thePageWatchesOnAEchoesBsCommandAndMovesToBWhenAGoesAway() {
        URL a = shopA.app().url();
        String uuid = panelServer.uuid();
        WebDriverWait wait = browser.waiting();
        JavascriptExecutor page = (JavascriptExecutor) browser.driver();

        browser.signIn(balancer.url());
        browser.watch(serverId, serverName);
        wait.until(ExpectedConditions.textToBe(By.id("state"), "offline"));
        browser.driver().findElement(By.cssSelector("[data-signal='start']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "running"));
        assertEquals(0, balancer.connectionsTo(b.url()), "everything so far went to A");
        assertTrue(balancer.connectionsTo(a) > 0);

        // 1. a command through instance B's REST route echoes in the page watching on A
        String viaB = "say via B's REST " + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(204, b.exchange(HttpRequest.POST("/api/v1/servers/" + serverId + "/command",
                Map.of("command", viaB)).bearerAuth(owner)).code());
        browser.awaitConsoleLine(viaB);

        // A line only this page has: the snapshot after the reconnect replaces the console, so it disappears.
        String localOnly = "not from the server " + UUID.randomUUID();
        page.executeScript("document.getElementById('console').append(arguments[0] + '\\n');"
                + "window.socketStates = [];"
                + "new MutationObserver(() => window.socketStates.push(document.getElementById('socket').textContent))"
                + ".observe(document.getElementById('socket'), {childList: true, characterData: true, subtree: true});"
                + "window.statsShown = 0;"
                + "new MutationObserver(() => window.statsShown++)"
                + ".observe(document.getElementById('cpu'), {childList: true, characterData: true, subtree: true});",
                localOnly);
        assertTrue(browser.text("console").contains(localOnly));

        // 2. the balancer sends new connections to B, and A shuts down (its sockets get 1001)
        int openedBeforeMove = panel.openedWebsocketConnections(uuid);
        balancer.switchTo(b.url());
        long closing = System.nanoTime();
        shopA.close();
        shopA = null;
        long closedMs = (System.nanoTime() - closing) / 1_000_000;

        long moving = System.nanoTime();
        wait.until(driver -> !browser.text("console").contains(localOnly) && "open".equals(browser.text("socket")));
        long reconnectedMs = (System.nanoTime() - moving) / 1_000_000;
        @SuppressWarnings("unchecked")
        List<String> socketStates = (List<String>) page.executeScript("return window.socketStates;");
        assertTrue(socketStates.stream().anyMatch(state -> state.startsWith("closed (1001")),
                "A told the page it was going away: " + socketStates);
        assertEquals("open", socketStates.get(socketStates.size() - 1), socketStates.toString());
        assertTrue(balancer.connectionsTo(b.url()) > 0, "the page reconnected through the balancer to B");
        assertEquals("running", browser.text("state"), "the snapshot's state");
        assertTrue(browser.text("console").contains(viaB), "the snapshot carries the recent console lines: "
                + browser.text("console"));

        // B owns the Wings socket once stats flow through it (lines printed during the hand-over are not replayed)
        wait.until(driver -> panel.openedWebsocketConnections(uuid) > openedBeforeMove);
        page.executeScript("window.statsShown = 0;");
        wait.until(driver -> ((Number) page.executeScript("return window.statsShown;")).intValue() > 0);

        String typed = "say typed after the move " + UUID.randomUUID().toString().substring(0, 8);
        browser.typeCommandAndAwaitEcho(typed);
        assertTrue(panel.state().console(uuid).stream().anyMatch(line -> line.contains(typed)),
                "the typed command reached the simulator's console");
        assertTrue(browser.messages().isEmpty(), () -> "no error shown: " + browser.messages());

        int opened = panel.openedWebsocketConnections(uuid);
        System.out.printf("A closed in %d ms; the page was back on B after %d ms; socket states %s; "
                + "Wings sockets opened %d, peak open at once %d; balancer connections A %d, B %d%n",
                closedMs, reconnectedMs, socketStates, opened, panel.peakWebsocketConnections(uuid),
                balancer.connectionsTo(a), balancer.connectionsTo(b.url()));
        assertEquals(1, panel.peakWebsocketConnections(uuid), "never two Wings sockets for the server at once");
        assertTrue(opened >= 2, "A's Wings socket, then B's: " + opened);
    }
}
