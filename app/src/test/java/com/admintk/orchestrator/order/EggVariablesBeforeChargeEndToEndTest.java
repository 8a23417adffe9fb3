package com.admintk.orchestrator.order;

import com.admintk.orchestrator.plan.DemoPlans;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.pterodactyl.PterodactylActivitiesImpl;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8: game settings that break the egg's rules are refused before any money moves, so a typo never costs a
 * card fee. Where the plan knows its egg, checkout answers 422 and stores nothing; where it does not, the order's
 * workflow reads the egg from the panel and fails before the charge. Either way the wallet, its ledger and the card
 * provider are untouched. One app for the class; the tests run one after the other, so balances are exact.
 */
class EggVariablesBeforeChargeEndToEndTest {

    private static final String KNOWN_EGG = "paper-2g";
    /** The same plan without the egg snapshot: the API cannot check its settings, the workflow must. */
    private static final String UNKNOWN_EGG = "paper-egg-unknown";
    private static final Map<String, String> NOT_A_JAR = Map.of("SERVER_JARFILE", "not-a-jar",
            "MINECRAFT_VERSION", "1.21");

    private static Shop shop;
    private static String token;

    @BeforeAll
    static void open() {
        // This class also reads the panel itself (the eggs), on the app's panel budget: give it room for that.
        shop = Shop.open(Map.of("panel.rate-limit-per-minute", 6000, "panel.rate-limit-burst", 200));
        token = shop.login(Shop.DEMO);
        Plan paper = DemoPlans.PLANS.stream().filter(plan -> plan.id().equals(KNOWN_EGG)).findFirst().orElseThrow();
        assertNotNull(paper.egg(), "the demo plans carry their egg's rules");
        shop.app().bean(PlanCatalog.class).save(new Plan(UNKNOWN_EGG, paper.name() + " (egg unknown)",
                paper.description(), paper.nestId(), paper.eggId(), paper.dockerImage(), paper.startup(),
                paper.environment(), paper.limits(), paper.featureLimits(), paper.locationIds(), paper.portRanges(),
                paper.priceCoins(), paper.priceAmountMinor(), paper.currency(), paper.billingCycle(), true,
                paper.secretVariables(), null, null));
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    void theDemoPlansEggSnapshotsAgreeWithThePanel() {
        PterodactylActivitiesImpl panel = shop.app().bean(PterodactylActivitiesImpl.class);
        for (Plan plan : DemoPlans.PLANS) {
            EggSpec live = panel.describeEgg(plan.nestId(), plan.eggId(), null);
            assertEquals(new HashSet<>(live.variables()), new HashSet<>(plan.egg().variables()), plan.id());
            assertEquals(live.id(), plan.egg().id(), plan.id());
        }
        Plan stored = shop.app().bean(PlanCatalog.class).find(KNOWN_EGG).orElseThrow();
        assertEquals(DemoPlans.PLANS.stream().filter(p -> p.id().equals(KNOWN_EGG)).findFirst().orElseThrow().egg(),
                stored.egg(), "the snapshot survives the round trip through MongoDB");
        assertNull(shop.app().bean(PlanCatalog.class).find(UNKNOWN_EGG).orElseThrow().egg());
    }

    @Test
    void theEggSnapshotIsNotPartOfThePlansJson() {
        String plans = shop.app().http().retrieve(HttpRequest.GET("/api/v1/plans").bearerAuth(token), String.class);
        assertTrue(plans.contains("\"eggId\"") && !plans.contains("\"egg\"") && !plans.contains("envVariable"), plans);
    }

    // ---- the API knows the egg: 422 at checkout -----------------------------------------------------------------

    @Test
    void aTkCoinsCheckoutWithABadGameSettingIsRefusedAtOnceAndStoresNothing() {
        long balance = shop.balance(token);
        int ledger = shop.ledger(token).size();
        long orders = orderCount();
        String key = "egg-" + UUID.randomUUID();
        Map<String, Object> body = Sagas.body(KNOWN_EGG, "tkcoins", NOT_A_JAR);

        HttpResponse<Map<String, Object>> refused = shop.checkout(token, key, body);

        assertEquals(422, refused.code(), () -> String.valueOf(refused.getBody().orElse(null)));
        Map<String, Object> error = error(refused);
        assertEquals("EGG_VARIABLES_INVALID", error.get("code"));
        assertTrue(String.valueOf(error.get("message")).contains("SERVER_JARFILE"), String.valueOf(error));
        Map<String, Object> details = map(error.get("details"));
        assertEquals("eggVariables", details.get("field"));
        assertEquals(Map.of("SERVER_JARFILE", "has an invalid format"), details.get("variables"),
                "only the refused variable is named");
        assertEquals(balance, shop.balance(token), "no TK-Coins taken");
        assertEquals(ledger, shop.ledger(token).size(), "no ledger entry");
        assertEquals(orders, orderCount(), "no order stored");

        // Nothing was kept under the key either: the corrected request is a first request, and goes through.
        Map<String, Object> corrected = new java.util.LinkedHashMap<>(body);
        corrected.put("eggVariables", Map.of("SERVER_JARFILE", "paper.jar", "MINECRAFT_VERSION", "1.21"));
        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, key, corrected);
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        assertEquals(1, Sagas.servers(orderId).size());
        assertEquals(balance - 500, shop.balance(token));
    }

    @Test
    void aCardCheckoutWithABadGameSettingIsRefusedBeforeTheProviderIsAsked() {
        int intents = TestStack.stripe().paymentIntents().size();
        long orders = orderCount();

        HttpResponse<Map<String, Object>> refused = shop.checkout(token, "egg-" + UUID.randomUUID(),
                Sagas.body(KNOWN_EGG, "card", Map.of("BUILD_NUMBER", "b".repeat(21), "DL_PATH", "/tmp")));

        assertEquals(422, refused.code(), () -> String.valueOf(refused.getBody().orElse(null)));
        Map<String, Object> error = error(refused);
        assertEquals("EGG_VARIABLES_INVALID", error.get("code"));
        assertEquals(Map.of("BUILD_NUMBER", "may not be greater than 20 characters", "DL_PATH", "cannot be changed"),
                map(error.get("details")).get("variables"));
        assertEquals(intents, TestStack.stripe().paymentIntents().size(), "no PaymentIntent created");
        assertEquals(orders, orderCount(), "no order stored");
    }

    // ---- the API does not know the egg: the workflow refuses before the charge ----------------------------------

    @Test
    void aTkCoinsOrderWhoseEggTheApiDoesNotKnowFailsBeforeTheCharge() {
        long balance = shop.balance(token);
        int ledger = shop.ledger(token).size();

        String orderId = Sagas.place(shop, token, Sagas.body(UNKNOWN_EGG, "tkcoins", NOT_A_JAR));
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(60));

        assertRefusedBeforeTheCharge(orderId, order);
        assertEquals(balance, shop.balance(token), "no TK-Coins taken");
        assertEquals(ledger, shop.ledger(token).size(), "no debit and no refund in the ledger");
    }

    @Test
    void aCardOrderWhoseEggTheApiDoesNotKnowFailsWithoutAPaymentIntent() {
        int intents = TestStack.stripe().paymentIntents().size();
        long balance = shop.balance(token);

        String orderId = Sagas.place(shop, token, Sagas.body(UNKNOWN_EGG, "card", NOT_A_JAR));
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(60));

        assertRefusedBeforeTheCharge(orderId, order);
        assertTrue(Sagas.intentsOfOrder(orderId).isEmpty(), "no PaymentIntent for the order");
        assertEquals(intents, TestStack.stripe().paymentIntents().size(), "no PaymentIntent at all");
        assertEquals(balance, shop.balance(token));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void assertRefusedBeforeTheCharge(String orderId, Map<String, Object> order) {
        assertEquals("FAILED", order.get("status"), () -> String.valueOf(order));
        assertEquals("EGG_VARIABLES_INVALID", order.get("reasonCode"), () -> String.valueOf(order));
        String reason = String.valueOf(order.get("reason"));
        assertTrue(reason.contains("SERVER_JARFILE"), "the customer learns which setting to fix: " + reason);
        Map<String, String> steps = Sagas.steps(order);
        assertEquals("FAILED", steps.get("resolveEggVariables"), String.valueOf(steps));
        assertEquals("SKIPPED", steps.get("charge"), String.valueOf(steps));
        assertEquals("SKIPPED", steps.get("createServer"), String.valueOf(steps));
        assertTrue(Sagas.servers(orderId).isEmpty(), "no server on the panel");
    }

    private static long orderCount() {
        HttpResponse<Map<String, Object>> page = shop.app().exchange(HttpRequest.GET("/api/v1/orders").bearerAuth(token));
        assertEquals(200, page.code());
        return ((Number) page.getBody().orElseThrow().get("total")).longValue();
    }

    private static Map<String, Object> error(HttpResponse<Map<String, Object>> response) {
        return TestApp.error(response);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
