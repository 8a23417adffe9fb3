package com.admintk.orchestrator.order;

import com.admintk.orchestrator.localstack.panel.FaultInjector;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.testing.Shop;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A panel under load answers 429 with {@code Retry-After: 20}. Panel activities have start-to-close timeouts of 15 to
 * 60 s, so an activity that waited the 429 out inside its attempt would still run when Temporal starts the next
 * attempt, and the panel would see the same call twice at once. Each attempt must instead fail at once with the
 * Retry-After as its next-retry delay: the batch ends ACTIVE, and in the simulator's request log no two attempts of
 * one activity overlap.
 *
 * <p>Waits real seconds (every 429 costs 20 s), so it is one batch of five orders.
 */
class ThrottledPanelEndToEndTest {

    private static final int ORDERS = 5;
    private static final int RETRY_AFTER_SECONDS = 20;

    @Test
    void ordersThroughAPanelAnswering429RetryAfter20EndActiveWithNoOverlappingAttempts() throws Exception {
        try (PanelSimulator panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0)
                .installTime(Duration.ofSeconds(2)).build()).start();
             Shop shop = Shop.open(Map.of("panel.url", panel.baseUrl(),
                     // a probe that meets a 429 costs 20 s: the install deadline is not what is tested here
                     "orchestrator.orders.install-deadline", "5m"))) {
            String token = shop.login(Shop.DEMO);
            panel.state().clearRequests();
            // one request in four of the saga's server calls is refused; the first ones of every order certainly
            // are. Only server calls: the checkout's capacity reading (nodes, allocations) and the install watch's
            // websocket token are no activity attempts, and a scheduled refusal they took would be lost to the test.
            panel.faults().pathFilter("^/api/application/servers")
                    .probability(FaultInjector.Fault.RATE_LIMIT, 0.25)
                    .failNext(FaultInjector.Fault.RATE_LIMIT, ORDERS)
                    .retryAfterSeconds(RETRY_AFTER_SECONDS);

            List<String> orders = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                orders.add(Sagas.place(shop, token, Sagas.body("paper-2g", "tkcoins", null)));
            }
            long started = System.nanoTime();
            for (String orderId : orders) {
                Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofMinutes(6));
                assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
                assertEquals(1, panel.state().servers().stream()
                        .filter(server -> ("order:" + orderId).equals(server.externalId())).count(),
                        "one server for order " + orderId);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            panel.faults().clear();

            List<SimState.RequestRecord> log = panel.state().requests().stream()
                    .filter(r -> r.caller() != null).toList();
            Map<Integer, Long> byStatus = log.stream().collect(Collectors.groupingBy(SimState.RequestRecord::status,
                    TreeMap::new, Collectors.counting()));
            Map<String, List<SimState.RequestRecord>> byActivity = log.stream()
                    .collect(Collectors.groupingBy(ThrottledPanelEndToEndTest::activity));

            int overlaps = 0;
            List<String> overlapping = new ArrayList<>();
            int maxAttempts = 0;
            long retriedCalls = 0;
            Duration shortestRetryGap = null;
            for (Map.Entry<String, List<SimState.RequestRecord>> calls : byActivity.entrySet()) {
                List<SimState.RequestRecord> requests = calls.getValue().stream()
                        .sorted(Comparator.comparing(SimState.RequestRecord::at)).toList();
                // any two requests of one activity, whatever their attempt, path or body: never at once
                for (int i = 0; i < requests.size(); i++) {
                    for (int j = i + 1; j < requests.size(); j++) {
                        if (requests.get(i).overlaps(requests.get(j))) {
                            overlaps++;
                            overlapping.add(requests.get(i) + " / " + requests.get(j));
                        }
                    }
                }
                int attempts = requests.stream().mapToInt(ThrottledPanelEndToEndTest::attempt).max().orElse(0);
                maxAttempts = Math.max(maxAttempts, attempts);
                if (attempts > 1) {
                    retriedCalls++;
                }
                // the attempt after a 429 starts no sooner than Retry-After says
                for (SimState.RequestRecord refused : requests) {
                    if (refused.status() != 429) {
                        continue;
                    }
                    SimState.RequestRecord next = requests.stream()
                            .filter(r -> attempt(r) == attempt(refused) + 1).findFirst().orElse(null);
                    if (next == null) {
                        continue;
                    }
                    Duration gap = Duration.between(refused.end(), next.at());
                    shortestRetryGap = shortestRetryGap == null || gap.compareTo(shortestRetryGap) < 0
                            ? gap : shortestRetryGap;
                }
            }
            long throttled = byStatus.getOrDefault(429, 0L);
            System.out.printf("throttled panel: %d orders ACTIVE in %.0f s; %d panel requests from %d activities,"
                            + " statuses %s; %d activities retried, max %d attempts of one activity; shortest gap"
                            + " between a 429 and the next attempt %s; overlapping attempts: %d%n",
                    ORDERS, seconds, log.size(), byActivity.size(), byStatus, retriedCalls, maxAttempts,
                    shortestRetryGap, overlaps);

            assertTrue(throttled >= ORDERS, "the panel refused requests: " + byStatus);
            assertEquals(List.of(), overlapping, "no two attempts of one activity at the panel at once");
            assertTrue(shortestRetryGap != null
                            && shortestRetryGap.compareTo(Duration.ofSeconds(RETRY_AFTER_SECONDS).minusMillis(500)) >= 0,
                    "a refused call came back only after Retry-After: " + shortestRetryGap);
        }
    }

    /** {@code workflowId activityId} of the attempt that sent the request. */
    private static String activity(SimState.RequestRecord r) {
        return r.caller().substring(0, r.caller().lastIndexOf(' '));
    }

    private static int attempt(SimState.RequestRecord r) {
        return Integer.parseInt(r.caller().substring(r.caller().lastIndexOf(' ') + 1));
    }
}
