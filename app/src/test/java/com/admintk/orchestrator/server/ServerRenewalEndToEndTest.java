package com.admintk.orchestrator.server;

import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.payment.PaymentDetails;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.temporal.client.WorkflowClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.admintk.orchestrator.server.ServerFixtures.action;
import static com.admintk.orchestrator.server.ServerFixtures.awaitServer;
import static com.admintk.orchestrator.server.ServerFixtures.awaitSubjects;
import static com.admintk.orchestrator.server.ServerFixtures.coins;
import static com.admintk.orchestrator.server.ServerFixtures.entries;
import static com.admintk.orchestrator.server.ServerFixtures.fromLifecycle;
import static com.admintk.orchestrator.server.ServerFixtures.hasTransition;
import static com.admintk.orchestrator.server.ServerFixtures.lifecycle;
import static com.admintk.orchestrator.server.ServerFixtures.panelCalls;
import static com.admintk.orchestrator.server.ServerFixtures.renewsAt;
import static com.admintk.orchestrator.server.ServerFixtures.transitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, acceptance 2 (and 5 for card renewals): renewals end to end on the embedded stack, with a billing period
 * of seconds from configuration. A wallet server renews, fails its next renewal, duns, is suspended on the panel,
 * and comes back after a card top-up and a "pay now"; a card server's renewal webhook delivered twice renews once.
 */
class ServerRenewalEndToEndTest {

    private static final Duration PERIOD = Duration.ofSeconds(30);
    private static final List<Duration> DUNNING = List.of(Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(6));
    private static final long PRICE = 500;

    private static Shop shop;
    private static String admin;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of(
                "orchestrator.lifecycle.billing-period", PERIOD.toSeconds() + "s",
                "orchestrator.lifecycle.dunning-offsets", "0s,3s,6s",
                "orchestrator.lifecycle.grace-period", "10m",
                "orchestrator.lifecycle.renewal-card-deadline", "2m",
                // an action may wait 30 s for the lifecycle to take it (then 503): the client waits longer than that
                "micronaut.http.client.read-timeout", "45s"));
        admin = shop.login(Shop.ADMIN);
    }

    @AfterAll
    static void close() {
        try {
            ServerFixtures.endLifecycles(shop);
        } finally {
            shop.close();
        }
    }

    @Test
    void aWalletServerRenewsThenDunsIntoSuspensionAndATopUpAndPaymentBringItBack() {
        String email = "renewal-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        IdentityFixtures.Login customer = IdentityFixtures.newClient(shop.app(), email);
        String token = customer.accessToken();
        // the checkout and exactly one renewal
        ServerFixtures.credit(shop, admin, customer.userId(), 2 * PRICE);

        Map<String, Object> order = ServerFixtures.deliveredOrder(shop, token, Shop.tkcoins("paper-2g"));
        String orderId = (String) order.get("id");
        String serverId = (String) order.get("serverId");
        int panelId = ServerFixtures.panelServerId(orderId);
        Instant firstRenewal = renewsAt(awaitServer(shop, token, serverId, Duration.ofSeconds(30),
                ServerFixtures::fromLifecycle));

        // 1. the period ends: the wallet pays it
        Map<String, Object> renewed = awaitServer(shop, token, serverId, PERIOD.plusSeconds(30),
                hasTransition("renewal paid (attempt 1)"));
        Instant secondRenewal = firstRenewal.plus(PERIOD);
        assertEquals(secondRenewal, renewsAt(renewed), "renewsAt moved by one period");
        assertEquals("ACTIVE", renewed.get("status"));
        List<Map<String, Object>> debits = entries(shop, token, "debit:");
        assertEquals(2, debits.size(), () -> "checkout and one renewal: " + shop.ledger(token));
        assertEquals(1, entries(shop, token, "debit:" + serverId + "-r").size(), () -> String.valueOf(debits));
        assertEquals(2 * PRICE, coins(debits));
        assertEquals(0, shop.balance(token));

        // 2. the next period cannot be paid: three attempts on the dunning schedule, then a suspension
        Map<String, Object> suspended = awaitServer(shop, token, serverId, PERIOD.plusSeconds(40),
                view -> "SUSPENDED".equals(view.get("status")));
        assertEquals("NON_PAYMENT", lifecycle(suspended).get("suspension"));
        assertNotNull(lifecycle(suspended).get("graceEndsAt"), () -> "a grace period runs: " + suspended);
        assertEquals(secondRenewal, renewsAt(suspended), "an unpaid period does not move the renewal date");
        for (int attempt = 1; attempt <= DUNNING.size(); attempt++) {
            List<Map<String, Object>> failed = transitions(suspended,
                    "renewal payment failed (attempt " + attempt + " of " + DUNNING.size() + ")");
            assertEquals(1, failed.size(), "attempt " + attempt + ": " + ServerFixtures.history(suspended));
            assertEquals("PAST_DUE", failed.get(0).get("to"));
            Instant at = Instant.parse((String) failed.get(0).get("at"));
            assertFalse(at.isBefore(secondRenewal.plus(DUNNING.get(attempt - 1))),
                    "attempt " + attempt + " at " + at + " waited for its offset from " + secondRenewal);
        }
        Map<String, Object> suspension = transitions(suspended, "renewal not paid after 3 attempts").get(0);
        assertEquals("PAST_DUE", suspension.get("from"));
        assertEquals("SUSPENDED", suspension.get("to"));
        assertEquals("NON_PAYMENT", suspension.get("suspension"));
        assertTrue(TestStack.panel().state().server(panelId).orElseThrow().suspended(), "suspended on the panel");
        assertEquals(2, entries(shop, token, "debit:").size(), "a failed attempt takes nothing");
        assertEquals(0, shop.balance(token));

        // 3. the customer buys coins by card, then pays now
        ServerFixtures.topUpByCard(shop, token, 2 * PRICE);
        assertEquals(2 * PRICE, shop.balance(token));
        String key = "pay-now-" + UUID.randomUUID();
        HttpResponse<Map<String, Object>> accepted = shop.app().exchange(action(
                HttpRequest.POST("/api/v1/servers/" + serverId + "/renew", Map.of()), token, key));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        assertEquals("renew", accepted.getBody().orElseThrow().get("action"));
        String payment = (String) accepted.getBody().orElseThrow().get("workflowId");
        assertTrue(payment.startsWith("payment:" + serverId + "-n-"), payment);

        Map<String, Object> back = awaitServer(shop, token, serverId, Duration.ofSeconds(30),
                view -> "ACTIVE".equals(view.get("status")) && hasTransition("paid now").test(view));
        assertNull(lifecycle(back).get("suspension"));
        assertNull(lifecycle(back).get("graceEndsAt"));
        assertEquals(secondRenewal.plus(PERIOD), renewsAt(back), "the paid period runs from the unpaid renewal date");
        Map<String, Object> lifted = transitions(back, "renewal paid").stream()
                .filter(t -> "SUSPENDED".equals(t.get("from"))).findFirst().orElseThrow(() ->
                        new AssertionError("no unsuspension in " + ServerFixtures.history(back)));
        assertEquals("ACTIVE", lifted.get("to"));
        assertFalse(TestStack.panel().state().server(panelId).orElseThrow().suspended(), "unsuspended on the panel");
        assertEquals(1, panelCalls("POST", "/api/application/servers/" + panelId + "/suspend"));
        assertEquals(1, panelCalls("POST", "/api/application/servers/" + panelId + "/unsuspend"));

        // the money: three debits (checkout, renewal, pay now) of one price each, one top-up credit
        List<Map<String, Object>> allDebits = entries(shop, token, "debit:");
        assertEquals(3, allDebits.size(), () -> String.valueOf(shop.ledger(token)));
        assertEquals(1, entries(shop, token, "debit:" + serverId + "-n-").size());
        assertEquals(3 * PRICE, coins(allDebits));
        assertEquals(PRICE, shop.balance(token), "2 × 500 credited + 2 × 500 bought − 3 × 500 paid");

        List<String> mail = awaitSubjects(shop, email, subjects -> count(subjects, "was renewed") >= 2
                && count(subjects, "is available again") >= 1);
        assertEquals(DUNNING.size(), count(mail, "We could not renew"), String.valueOf(mail));
        assertEquals(1, count(mail, "is suspended"), String.valueOf(mail));
        assertEquals(2, count(mail, "was renewed"), String.valueOf(mail));
        assertEquals(1, count(mail, "is available again"), String.valueOf(mail));
    }

    @Test
    void aCardRenewalWhoseWebhookComesTwiceRenewsOnce() {
        String email = "card-renewal-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String token = IdentityFixtures.newClient(shop.app(), email).accessToken();
        HttpResponse<Map<String, Object>> placed = shop.checkout(token, "card-" + UUID.randomUUID(),
                Map.of("planId", "paper-2g", "serverName", "Card renewal", "paymentMethod", "card"));
        assertEquals(202, placed.code(), () -> String.valueOf(placed.getBody().orElse(null)));
        String orderId = (String) placed.getBody().orElseThrow().get("orderId");
        Map<String, Object> checkoutIntent = ServerFixtures.await(Duration.ofSeconds(30),
                () -> ServerFixtures.intents(PaymentIds.forOrder(orderId, 1)), list -> !list.isEmpty()).get(0);
        ServerFixtures.deliver(shop, TestStack.stripe().succeed((String) checkoutIntent.get("id")));
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(60));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        String serverId = (String) order.get("serverId");
        Instant firstRenewal = renewsAt(awaitServer(shop, token, serverId, Duration.ofSeconds(30),
                ServerFixtures::fromLifecycle));

        // the period ends: the lifecycle opens a card payment and waits for its webhook
        Map<String, Object> renewalIntent = ServerFixtures.await(PERIOD.plusSeconds(30),
                () -> ServerFixtures.intents(serverId + "-r"), list -> !list.isEmpty()).get(0);
        assertEquals(499, ((Number) renewalIntent.get("amount")).intValue());
        String renewalPayment = (String) ((Map<?, ?>) renewalIntent.get("metadata")).get("payment_id");
        awaitSubjects(shop, email, subjects -> count(subjects, "Renewal payment due") == 1);
        assertEquals("ACTIVE", ServerFixtures.server(shop, token, serverId).get("status"), "waiting is not failing");

        FakeStripe.SignedEvent succeeded = TestStack.stripe().succeed((String) renewalIntent.get("id"));
        assertTrue(ServerFixtures.deliver(shop, succeeded).contains("\"accepted\""));
        assertTrue(ServerFixtures.deliver(shop, TestStack.stripe().resign(succeeded)).contains("\"duplicate\""));

        Map<String, Object> renewed = awaitServer(shop, token, serverId, Duration.ofSeconds(30),
                hasTransition("renewal paid (attempt 1)"));
        assertEquals(1, transitions(renewed, "renewal paid").size(), () -> ServerFixtures.history(renewed).toString());
        assertEquals(firstRenewal.plus(PERIOD), renewsAt(renewed), "one period renewed");
        assertEquals("ACTIVE", renewed.get("status"));
        assertEquals(1, ServerFixtures.intents(renewalPayment).size(), "one PaymentIntent for the renewal");
        PaymentDetails details = shop.app().bean(WorkflowClient.class).newWorkflowStub(PaymentWorkflow.class,
                PaymentIds.workflowId(renewalPayment)).details();
        assertEquals(1, details.webhookEventsAccepted(), () -> "the payment saw the event once: " + details);
        List<String> mail = awaitSubjects(shop, email, subjects -> count(subjects, "was renewed") >= 1);
        assertEquals(1, count(mail, "was renewed"), String.valueOf(mail));
    }

    private static long count(List<String> subjects, String part) {
        return subjects.stream().filter(s -> s.contains(part)).count();
    }
}
