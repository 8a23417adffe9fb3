package com.admintk.orchestrator.order;

import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Wings {@code install completed} event, delivered to the provisioning as a signal, on the embedded stack and
 * the panel simulator: with the install polled only once a minute, the order is ACTIVE after one confirming probe
 * sent after the simulator's install ended and long before the first poll was due. Asserted from the simulator's
 * request log and the order's timeline, not from a stopwatch.
 */
class InstallEventEndToEndTest {

    private static final Duration INSTALL = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofSeconds(60);

    private static Shop shop;
    private static Duration sharedInstallTime;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of("orchestrator.orders.install-poll-initial", POLL.toSeconds() + "s",
                "orchestrator.orders.install-poll-max", POLL.toSeconds() + "s",
                "orchestrator.orders.install-deadline", "5m"));
        sharedInstallTime = TestStack.panel().settings().installTime();
        TestStack.panel().settings().installTime(INSTALL);
    }

    @AfterAll
    static void close() {
        TestStack.panel().settings().installTime(sharedInstallTime);
        shop.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOrderIsActiveAfterOneProbeSentOnTheInstallCompletedEventBeforeAnyPollWasDue() {
        String token = shop.login(Shop.DEMO);
        Instant since = Instant.now();

        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "install-" + UUID.randomUUID(),
                Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        // Without the event the first poll comes a minute after the create: this would time out.
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, POLL.minusSeconds(10));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));

        SimState.ServerView server = TestStack.panel().state().serverByExternalId("order:" + orderId).orElseThrow();
        List<SimState.RequestRecord> calls = TestStack.panel().state().requests().stream()
                .filter(call -> !call.at().isBefore(since)).toList();
        List<SimState.RequestRecord> creates = calls.stream().filter(call -> call.method().equals("POST")
                && call.path().equals("/api/application/servers") && call.status() == 201
                && call.body().contains("\"order:" + orderId + "\"")).toList();
        assertEquals(1, creates.size(), () -> calls.toString());
        SimState.RequestRecord create = creates.get(0);
        List<SimState.RequestRecord> probes = calls.stream().filter(call -> call.method().equals("GET")
                && call.path().equals("/api/application/servers/" + server.id())).toList();
        assertEquals(1, probes.size(), () -> "one confirming getServer, no poll: " + probes);
        SimState.RequestRecord probe = probes.get(0);
        // The install ends INSTALL after the simulator took the create (between its arrival and its answer).
        assertFalse(probe.at().isBefore(create.at().plus(INSTALL)),
                () -> "probe " + probe.at() + " before the install could end (create " + create.at() + ")");
        assertTrue(probe.at().isBefore(create.end().plus(POLL)),
                () -> "probe " + probe.at() + " not before the first poll (create answered " + create.end() + ")");
        assertTrue(calls.stream().anyMatch(call -> call.path().startsWith("/api/client/servers/")
                && call.path().endsWith("/websocket") && call.status() == 200), "the watcher's socket credentials");

        Map<String, Object> wait = ((List<Map<String, Object>>) order.get("timeline")).stream()
                .filter(step -> "awaitInstalled".equals(step.get("name"))).findFirst().orElseThrow();
        assertEquals("DONE", wait.get("state"));
        Duration waited = Duration.between(Instant.parse((String) wait.get("startedAt")),
                Instant.parse((String) wait.get("finishedAt")));
        assertTrue(waited.compareTo(POLL) < 0, "awaitInstalled took " + waited);

        String metrics = shop.app().http().retrieve(HttpRequest.GET("/prometheus"), String.class);
        assertEquals(1.0, counter(metrics, "event"), metrics);
        assertEquals(0.0, counter(metrics, "poll"));
    }

    private static double counter(String metrics, String by) {
        Matcher line = Pattern.compile("(?m)^installs_seen_total\\{[^}]*by=\"" + by + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        assertTrue(line.find(), "installs_seen_total{by=\"" + by + "\"} exported");
        return Double.parseDouble(line.group(1));
    }
}
