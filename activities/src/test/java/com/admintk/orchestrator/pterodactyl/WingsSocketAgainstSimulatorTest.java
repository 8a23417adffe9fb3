package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 4 against the simulator's Wings: stats and console lines arrive typed, a command is echoed, a short
 * token lifetime is survived by re-authenticating on the same socket, a dropped connection is re-established, and
 * the Origin header is the one Wings accepts.
 */
class WingsSocketAgainstSimulatorTest {

    private static final Duration TOKEN_LIFETIME = Duration.ofMillis(2_500);
    private static final Duration TOKEN_WARNING = Duration.ofMillis(1_200);

    private PanelSimulator sim;
    private PanelClient panel;
    private final List<WingsEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger credentialsIssued = new AtomicInteger();

    @BeforeEach
    void start() {
        sim = PanelSim.start(PanelSimulator.config().port(0).installTime(Duration.ofMillis(100))
                .statsInterval(Duration.ofMillis(300)).tokenLifetime(TOKEN_LIFETIME)
                .tokenExpiringWarning(TOKEN_WARNING).powerTransition(Duration.ofMillis(100)));
        panel = PanelSim.client(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Panel.WebsocketCredentials credentials(String identifier) {
        credentialsIssued.incrementAndGet();
        return panel.websocketCredentials(identifier);
    }

    @Test
    void statsConsoleCommandTokenExpiryAndReconnect() throws Exception {
        Panel.Server server = panel.createServer(PterodactylActivitiesImpl.newServer("ws-1",
                PanelSim.paper("ws", 1000)));
        String id = server.identifier();
        PanelSim.await("install", Duration.ofSeconds(5), () -> panel.getServer(server.id()).status() == null);

        long t0 = System.nanoTime();
        try (WingsSocketClient wings = new WingsSocketClient(sim.baseUrl(), () -> credentials(id), events::add,
                Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500))) {
            wings.connect().get(5, TimeUnit.SECONDS);
            long connectMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(wings.authenticated());
            assertEquals(1, sim.websocketConnections());

            // stats, decoded from the JSON string Wings sends
            WingsEvent.Stats stats = awaitEvent(WingsEvent.Stats.class, 0, Duration.ofSeconds(3));
            assertEquals("offline", stats.stats().state());
            assertTrue(stats.stats().memoryLimitBytes() > 0, stats.toString());
            assertTrue(stats.stats().network() != null);

            // set state start: status events and console lines of the boot
            wings.setState(Panel.PowerSignal.start).get(2, TimeUnit.SECONDS);
            PanelSim.await("running status", Duration.ofSeconds(5), () -> events.stream()
                    .anyMatch(e -> e instanceof WingsEvent.Status s && "running".equals(s.state())));
            PanelSim.await("console lines", Duration.ofSeconds(5),
                    () -> events.stream().filter(e -> e instanceof WingsEvent.ConsoleOutput).count() >= 1);
            PanelSim.await("running stats", Duration.ofSeconds(3), () -> events.stream()
                    .anyMatch(e -> e instanceof WingsEvent.Stats s && "running".equals(s.stats().state())
                            && s.stats().memoryBytes() > 0));

            // a command is echoed as console output
            wings.sendCommand("say hello from the test").get(2, TimeUnit.SECONDS);
            PanelSim.await("command echo", Duration.ofSeconds(3), () -> events.stream()
                    .anyMatch(e -> e instanceof WingsEvent.ConsoleOutput c
                            && c.line() != null && c.line().contains("say hello from the test")));

            // token expiry: the first token (2.5 s) is long gone after 4 s, yet the socket stays authenticated
            int authsBefore = count(WingsEvent.AuthSuccess.class);
            Thread.sleep(TOKEN_LIFETIME.plusMillis(1_500).toMillis());
            int expiring = count(WingsEvent.TokenExpiring.class);
            int expired = count(WingsEvent.TokenExpired.class);
            int jwtErrors = count(WingsEvent.JwtError.class);
            int reauths = count(WingsEvent.AuthSuccess.class) - authsBefore;
            assertTrue(expiring >= 1, "Wings warned about the token");
            assertTrue(reauths >= 1, "re-authenticated with fresh credentials");
            assertEquals(0, expired, "never let the token run out");
            assertEquals(0, jwtErrors);
            assertTrue(wings.authenticated());
            assertEquals(1, sim.websocketConnections(), "re-auth happened on the same socket");
            int statsBefore = count(WingsEvent.Stats.class);
            PanelSim.await("stats after re-auth", Duration.ofSeconds(3),
                    () -> count(WingsEvent.Stats.class) > statsBefore);

            // the simulator drops the connection without a close frame: reconnect and re-auth
            int authsBeforeDrop = count(WingsEvent.AuthSuccess.class);
            long dropped = System.nanoTime();
            sim.dropWebsockets();
            PanelSim.await("disconnect seen", Duration.ofSeconds(10),
                    () -> count(WingsEvent.Disconnected.class) >= 1);
            PanelSim.await("reconnected", Duration.ofSeconds(10),
                    () -> count(WingsEvent.AuthSuccess.class) > authsBeforeDrop && wings.authenticated());
            long reconnectMs = (System.nanoTime() - dropped) / 1_000_000;
            assertEquals(1, sim.websocketConnections());
            int statsAfterReconnect = count(WingsEvent.Stats.class);
            PanelSim.await("stats after reconnect", Duration.ofSeconds(3),
                    () -> count(WingsEvent.Stats.class) > statsAfterReconnect);
            wings.sendCommand("after reconnect").get(2, TimeUnit.SECONDS);
            PanelSim.await("echo after reconnect", Duration.ofSeconds(3), () -> events.stream()
                    .anyMatch(e -> e instanceof WingsEvent.ConsoleOutput c && "after reconnect".equals(c.line())));

            System.out.printf("wings: connected+authed in %d ms; %d stats, %d console lines, %d token-expiring,"
                            + " %d auth successes (re-auths on one socket: %d), 0 expired/jwt errors; reconnected %d ms"
                            + " after the drop; %d credential fetches%n",
                    connectMs, count(WingsEvent.Stats.class), count(WingsEvent.ConsoleOutput.class), expiring,
                    count(WingsEvent.AuthSuccess.class), reauths, reconnectMs, credentialsIssued.get());
        }
        PanelSim.await("socket closed", Duration.ofSeconds(3), () -> sim.websocketConnections() == 0);
    }

    @Test
    void theSimulatorRejectsAnotherOriginAndTheClientSendsTheRightOne() throws Exception {
        Panel.Server server = panel.createServer(PterodactylActivitiesImpl.newServer("ws-2",
                PanelSim.paper("ws", 1001)));
        String id = server.identifier();
        List<WingsEvent> wrongEvents = new CopyOnWriteArrayList<>();
        // the panel URL is the Origin: a client configured with another URL is refused (403) and never authenticates
        try (WingsSocketClient wrong = new WingsSocketClient("http://panel.elsewhere.test",
                () -> panel.websocketCredentials(id), wrongEvents::add, Duration.ofMillis(200),
                Duration.ofSeconds(1))) {
            assertThrows(TimeoutException.class, () -> wrong.connect().get(1500, TimeUnit.MILLISECONDS));
            assertFalse(wrong.authenticated());
            assertEquals(0, sim.websocketConnections());
        }
        // websocket credentials work for the root admin even while installing; the right Origin is accepted
        try (WingsSocketClient right = new WingsSocketClient(sim.baseUrl() + "/", () -> panel.websocketCredentials(id),
                events::add, Duration.ofMillis(100), Duration.ofSeconds(1))) {
            right.connect().get(5, TimeUnit.SECONDS);
            assertTrue(right.authenticated());
        }
    }

    private int count(Class<? extends WingsEvent> type) {
        return (int) events.stream().filter(type::isInstance).count();
    }

    private <T extends WingsEvent> T awaitEvent(Class<T> type, int after, Duration timeout) throws Exception {
        PanelSim.await(type.getSimpleName(), timeout, () -> count(type) > after);
        return events.stream().filter(type::isInstance).map(type::cast).skip(after).findFirst().orElseThrow();
    }
}
