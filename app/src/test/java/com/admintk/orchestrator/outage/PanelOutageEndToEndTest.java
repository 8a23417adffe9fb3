package com.admintk.orchestrator.outage;

import com.admintk.orchestrator.localstack.panel.FaultInjector;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * README, "When a dependency is down", row panel: every panel call answers 502 for a while. (PrometheusCheckIT runs
 * a mixed 502/429 outage window on the packaged stack too, for the alerts it must fire.)
 */
class PanelOutageEndToEndTest {

    private static Shop shop;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of());
    }

    @AfterAll
    static void close() {
        TestStack.panel().faults().clear();
        shop.close();
    }

    @Test
    void aCheckoutDuringAPanelOutageIsAcceptedWaitsAndFinishesWhenThePanelReturns() {
        String token = shop.login(Shop.DEMO);
        long balance = shop.balance(token);
        FaultInjector faults = TestStack.panel().faults();
        faults.clear().afterProcessingRatio(0).probability(FaultInjector.Fault.HTTP_502, 1.0);
        String orderId;
        try {
            HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "panel-" + UUID.randomUUID(),
                    Shop.tkcoins("paper-2g"));
            assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
            orderId = (String) accepted.getBody().orElseThrow().get("orderId");
            // Long enough for several retries of the panel step; the saga must neither fail nor refund meanwhile.
            StoreOutageEndToEndTest.sleep(15_000);
            Map<String, Object> waiting = shop.order(token, orderId);
            assertEquals("PROCESSING", waiting.get("status"), () -> String.valueOf(waiting));
            assertEquals(0, TestStack.panel().state().servers().stream()
                    .filter(server -> ("order:" + orderId).equals(server.externalId())).count(), "nothing made yet");
        } finally {
            faults.clear();
        }

        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(120));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        assertEquals(1, TestStack.panel().state().servers().stream()
                .filter(server -> ("order:" + orderId).equals(server.externalId())).count());
        assertEquals(balance - 500, shop.balance(token), "charged once");
    }
}
