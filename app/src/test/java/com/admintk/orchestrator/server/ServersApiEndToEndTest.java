package com.admintk.orchestrator.server;

import com.admintk.orchestrator.identity.AuditRepository;
import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import com.mongodb.client.model.Filters;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The servers API over HTTP on the embedded stack: reading, ownership, operators' actions, bad input. */
class ServersApiEndToEndTest {

    private static Shop shop;
    private static String customer;
    private static String admin;
    /** The demo customer's server, delivered by a checkout; no test ends it. */
    private static String serverId;
    private static String orderId;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of("orchestrator.servers.listing-sweep", "1s"));
        customer = shop.login(Shop.DEMO);
        admin = shop.login(Shop.ADMIN);
        orderId = checkout();
        serverId = (String) shop.order(customer, orderId).get("serverId");
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCustomerListsAndReadsTheirServerWithPlanPanelIdsLifecycleAndHistory() {
        Map<String, Object> page = ok(get("/api/v1/servers", customer));
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertTrue(items.stream().anyMatch(item -> serverId.equals(item.get("id"))), () -> "listed: " + page);
        assertTrue(((Number) page.get("total")).longValue() >= 1);
        assertEquals(20, page.get("size"));
        List<Map<String, Object>> terminated = (List<Map<String, Object>>)
                ok(get("/api/v1/servers?status=TERMINATED", customer)).get("items");
        assertTrue(terminated.stream().noneMatch(item -> serverId.equals(item.get("id"))), "filtered by status");

        Map<String, Object> server = awaitServer(customer, serverId,
                view -> ServerViews.FROM_LIFECYCLE.equals(lifecycle(view).get("source")));
        assertEquals("ACTIVE", server.get("status"));
        assertEquals(orderId, server.get("orderId"));

        Plan catalog = shop.app().bean(PlanCatalog.class).find("paper-2g").orElseThrow();
        Map<String, Object> plan = (Map<String, Object>) server.get("plan");
        assertEquals("paper-2g", plan.get("id"));
        assertEquals(catalog.name(), plan.get("name"));
        assertEquals(catalog.limits().memory(), ((Map<String, Object>) plan.get("limits")).get("memory"));
        assertEquals(catalog.featureLimits().databases(),
                ((Map<String, Object>) plan.get("featureLimits")).get("databases"));
        assertEquals(500, ((Number) plan.get("priceCoins")).intValue());
        assertEquals(catalog.billingCycle().name(), plan.get("billingCycle"));

        SimState.ServerView onPanel = TestStack.panel().state().serverByExternalId("order:" + orderId).orElseThrow();
        Map<String, Object> panel = (Map<String, Object>) server.get("panel");
        assertEquals(onPanel.id(), panel.get("serverId"));
        assertEquals(onPanel.uuid(), panel.get("uuid"));
        assertEquals(onPanel.identifier(), panel.get("identifier"));
        assertEquals(onPanel.node(), panel.get("node"));
        assertEquals("order:" + orderId, panel.get("externalId"));

        Map<String, Object> lifecycle = lifecycle(server);
        assertEquals("ACTIVE", lifecycle.get("status"));
        assertTrue(Instant.parse((String) lifecycle.get("renewsAt")).isAfter(Instant.now()), "next renewal ahead");
        assertEquals(false, lifecycle.get("cancelAtPeriodEnd"));
        List<Map<String, Object>> history = (List<Map<String, Object>>) server.get("history");
        assertTrue(history.stream().anyMatch(t -> "server delivered".equals(t.get("reason")) && "ACTIVE".equals(t.get("to"))),
                () -> "history: " + history);

        Map<String, Object> links = (Map<String, Object>) server.get("links");
        assertEquals("/api/v1/servers/" + serverId, links.get("self"));
        assertEquals("/api/v1/orders/" + orderId, links.get("order"));
        assertFalse(links.containsKey("run"), "the Temporal run link is for operators only: " + links);
        assertTrue(((Map<String, Object>) ok(get("/api/v1/servers/" + serverId, admin)).get("links")).containsKey("run"),
                "an admin gets the run link");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anotherCustomerSeesNoServerAndEveryRouteOfThisOneAnswers404() {
        IdentityFixtures.Login other = IdentityFixtures.newClient(shop.app(), "other-" + UUID.randomUUID() + "@example.test");
        Map<String, Object> page = ok(get("/api/v1/servers", other.accessToken()));
        assertEquals(List.of(), page.get("items"));
        assertEquals(0, ((Number) page.get("total")).intValue());
        // a customerId filter is an admin's: a client naming someone else still sees only its own
        String demoId = (String) ok(get("/api/v1/auth/me", customer)).get("id");
        assertEquals(List.of(), ok(get("/api/v1/servers?customerId=" + demoId, other.accessToken())).get("items"));

        String base = "/api/v1/servers/" + serverId;
        List<MutableHttpRequest<?>> requests = List.of(
                HttpRequest.GET(base),
                HttpRequest.POST(base + "/renew", Map.of()),
                HttpRequest.POST(base + "/cancel", Map.of("reason", "not mine")),
                HttpRequest.PATCH(base + "/plan", Map.of("planId", "paper-4g")),
                HttpRequest.PATCH(base + "/plan", Map.of()),
                HttpRequest.POST(base + "/reinstall", Map.of()));
        for (MutableHttpRequest<?> request : requests) {
            HttpResponse<Map<String, Object>> response = shop.app().exchange(
                    request.bearerAuth(other.accessToken()).header("Idempotency-Key", "other-" + UUID.randomUUID()));
            assertEquals(404, response.code(), () -> request.getMethod() + " " + request.getPath() + ": " + response.getBody());
            assertEquals("NOT_FOUND", TestApp.error(response).get("code"));
        }

        List<Map<String, Object>> mine = (List<Map<String, Object>>) ok(get("/api/v1/servers?customerId=" + demoId, admin)).get("items");
        assertTrue(mine.stream().anyMatch(item -> serverId.equals(item.get("id"))), "an admin filters by customer");
        assertTrue(mine.stream().allMatch(item -> demoId.equals(item.get("customerId"))), "only that customer's");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCustomerCancelsAtPeriodEndAndTheLifecycleShowsIt() {
        String ownOrder = checkout();
        String own = (String) shop.order(customer, ownOrder).get("serverId");
        awaitServer(customer, own, view -> ServerViews.FROM_LIFECYCLE.equals(lifecycle(view).get("source")));

        HttpResponse<String> first = raw(HttpRequest.POST("/api/v1/servers/" + own + "/cancel",
                Map.of("reason", "moving to another game")).bearerAuth(customer).header("Idempotency-Key", "cancel-1"));
        assertEquals(202, first.code(), first::body);
        assertTrue(first.body().contains("\"action\":\"cancel\""), first.body());
        assertTrue(first.body().contains("\"workflowId\":\"server:" + own + "\""), first.body());
        assertFalse(first.body().contains("\"run\""), "no run link for customers: " + first.body());

        Map<String, Object> server = awaitServer(customer, own, view -> Boolean.TRUE.equals(lifecycle(view).get("cancelAtPeriodEnd")));
        assertEquals("ACTIVE", server.get("status"), "still running until the end of the period");
        List<Map<String, Object>> history = (List<Map<String, Object>>) server.get("history");
        assertTrue(history.stream().anyMatch(t -> String.valueOf(t.get("reason")).contains("moving to another game")),
                () -> "history: " + history);
    }

    @Test
    @SuppressWarnings("unchecked")
    void operatorsSuspendOnceForADoubleClickUnsuspendAndTerminateKeepingTheRecordAndItsHistory() {
        String ownOrder = checkout();
        String id = (String) shop.order(customer, ownOrder).get("serverId");
        awaitServer(admin, id, view -> ServerViews.FROM_LIFECYCLE.equals(lifecycle(view).get("source")));
        int panelId = TestStack.panel().state().serverByExternalId("order:" + ownOrder).orElseThrow().id();
        String base = "/api/v1/admin/servers/" + id;
        Map<String, Object> suspend = Map.of("reason", "chargeback under review");

        // a double click: two requests with two keys, then the first key again
        HttpResponse<String> first = raw(post(base + "/suspend", suspend, admin, "suspend-a-" + id));
        HttpResponse<String> second = raw(post(base + "/suspend", suspend, admin, "suspend-b-" + id));
        HttpResponse<String> replay = raw(post(base + "/suspend", suspend, admin, "suspend-a-" + id));
        assertEquals(202, first.code(), first::body);
        assertEquals(202, second.code(), second::body);
        assertEquals(first.body(), replay.body(), "the same key answers the stored response");
        assertTrue(first.body().contains("\"workflowId\":\"server:" + id + "\""), first.body());
        assertTrue(first.body().contains("\"run\":"), "an admin's answer links the lifecycle's run: " + first.body());

        Map<String, Object> suspended = awaitServer(admin, id, view -> "SUSPENDED".equals(view.get("status")));
        assertEquals("ADMIN", lifecycle(suspended).get("suspension"));
        assertTrue(TestStack.panel().state().server(panelId).orElseThrow().suspended(), "suspended on the panel");

        HttpResponse<String> unsuspended = raw(post(base + "/unsuspend", Map.of("reason", "chargeback withdrawn"), admin,
                "unsuspend-" + id));
        assertEquals(202, unsuspended.code(), unsuspended::body);
        awaitServer(admin, id, view -> "ACTIVE".equals(view.get("status")));
        assertFalse(TestStack.panel().state().server(panelId).orElseThrow().suspended(), "unsuspended on the panel");
        // signals are applied in order: the second suspend was seen before the unsuspend, and changed nothing
        assertEquals(1, panelCalls("POST", "/api/application/servers/" + panelId + "/suspend"), "one suspend on the panel");
        assertEquals(1, panelCalls("POST", "/api/application/servers/" + panelId + "/unsuspend"));

        List<Document> audits = audits(id, "SERVER_SUSPENDED");
        assertEquals(2, audits.size(), "one entry per accepted request, none for the replay");
        String adminId = (String) ok(get("/api/v1/auth/me", admin)).get("id");
        assertTrue(audits.stream().allMatch(a -> adminId.equals(a.getString("actor"))
                && "chargeback under review".equals(a.get("details", Document.class).getString("reason"))), audits::toString);
        assertEquals(1, audits(id, "SERVER_UNSUSPENDED").size());

        HttpResponse<String> terminate = raw(post(base + "/terminate", Map.of("reason", "customer asked by phone"), admin,
                "terminate-" + id));
        assertEquals(202, terminate.code(), terminate::body);
        Map<String, Object> ended = awaitServer(admin, id, view -> "TERMINATED".equals(view.get("status"))
                && view.get("terminatedAt") != null);
        assertTrue(TestStack.panel().state().serverByExternalId("order:" + ownOrder).isEmpty(), "deleted from the panel");
        assertEquals(1, audits(id, "SERVER_TERMINATED").size());

        // the record stays, with its history, for the customer too
        Map<String, Object> kept = awaitServer(customer, id, view -> !((List<?>) view.get("history")).isEmpty());
        assertEquals("TERMINATED", kept.get("status"));
        List<String> reached = ((List<Map<String, Object>>) kept.get("history")).stream().map(t -> (String) t.get("to")).toList();
        assertTrue(reached.containsAll(List.of("ACTIVE", "SUSPENDED", "TERMINATED")), () -> "history: " + kept);
        assertTrue(ended.get("plan") != null && ended.get("panel") != null);
        List<Map<String, Object>> listed = (List<Map<String, Object>>) ok(get("/api/v1/servers?status=TERMINATED", customer)).get("items");
        assertTrue(listed.stream().anyMatch(item -> id.equals(item.get("id"))), "listed as TERMINATED");

        // a terminated server takes nothing more, signals included
        for (HttpResponse<Map<String, Object>> refused : List.of(
                shop.app().exchange(post(base + "/suspend", suspend, admin, "late-suspend-" + id)),
                shop.app().exchange(post(base + "/terminate", Map.of("reason", "again"), admin, "late-terminate-" + id)),
                shop.app().exchange(post("/api/v1/servers/" + id + "/cancel", Map.of(), customer, "late-cancel-" + id)),
                shop.app().exchange(post("/api/v1/servers/" + id + "/renew", Map.of(), customer, "late-renew-" + id)),
                shop.app().exchange(post("/api/v1/servers/" + id + "/reinstall", Map.of(), customer, "late-reinstall-" + id)))) {
            assertEquals(409, refused.code(), () -> String.valueOf(refused.getBody()));
            assertEquals("SERVER_TERMINATED", TestApp.error(refused).get("code"));
        }
        assertEquals(1, audits(id, "SERVER_TERMINATED").size(), "a refusal is not audited as done");
    }

    @Test
    void badInputIs4xxInTheErrorShapeAndSendsNothing() {
        String base = "/api/v1/admin/servers/" + serverId;
        expect(400, "VALIDATION_FAILED", post(base + "/suspend", Map.of(), admin, "bad-1"));
        expect(400, "VALIDATION_FAILED", post(base + "/suspend", Map.of("reason", " "), admin, "bad-2"));
        expect(400, "VALIDATION_FAILED", post(base + "/terminate", Map.of("reason", "x".repeat(501)), admin, "bad-3"));
        expect(400, "VALIDATION_FAILED", post(base + "/suspend", Map.of("reason", "r", "kind", "MAYBE"), admin, "bad-4"));
        expect(400, "IDEMPOTENCY_KEY_REQUIRED", HttpRequest.POST(base + "/unsuspend", Map.of("reason", "r")).bearerAuth(admin));
        expect(404, "NOT_FOUND", post("/api/v1/admin/servers/srv-ord_" + "0".repeat(24) + "/suspend",
                Map.of("reason", "r"), admin, "bad-5"));

        String own = "/api/v1/servers/" + serverId;
        expect(422, "PLAN_NOT_FOUND", HttpRequest.PATCH(own + "/plan", Map.of("planId", "no-such-plan"))
                .bearerAuth(customer).header("Idempotency-Key", "bad-plan"));
        expect(400, "VALIDATION_FAILED", HttpRequest.PATCH(own + "/plan", Map.of())
                .bearerAuth(customer).header("Idempotency-Key", "bad-plan-2"));
        expect(400, "VALIDATION_FAILED", HttpRequest.PATCH(own + "/plan", Map.of("planId", "Not A Plan!"))
                .bearerAuth(customer).header("Idempotency-Key", "bad-plan-3"));
        expect(400, "VALIDATION_FAILED", post(own + "/cancel", Map.of("reason", "x".repeat(501)), customer, "bad-6"));
        expect(400, "VALIDATION_FAILED", HttpRequest.GET("/api/v1/servers?size=1000").bearerAuth(customer));
        expect(400, "VALIDATION_FAILED", HttpRequest.GET("/api/v1/servers?size=0").bearerAuth(customer));
        expect(400, "VALIDATION_FAILED", HttpRequest.GET("/api/v1/servers?page=-1").bearerAuth(customer));
        expect(400, "VALIDATION_FAILED", HttpRequest.GET("/api/v1/servers?status=GONE").bearerAuth(customer));
        expect(400, "VALIDATION_FAILED", HttpRequest.GET("/api/v1/servers/not-a-server").bearerAuth(customer));

        // nothing reached the lifecycle and no key was spent: the refused plan change's key is still free
        Map<String, Object> server = ok(get(own, admin));
        assertEquals("ACTIVE", server.get("status"));
        assertEquals(0L, shop.app().bean(Database.class).collection(AuditRepository.COLLECTION)
                .countDocuments(Filters.and(Filters.eq("target", "server:" + serverId),
                        Filters.in("action", "SERVER_SUSPENDED", "SERVER_TERMINATED", "SERVER_PLAN_CHANGE_REQUESTED"))));
        expect(422, "PLAN_NOT_FOUND", HttpRequest.PATCH(own + "/plan", Map.of("planId", "no-such-plan"))
                .bearerAuth(customer).header("Idempotency-Key", "bad-plan"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    private static String checkout() {
        HttpResponse<Map<String, Object>> accepted = shop.checkout(customer, "servers-" + UUID.randomUUID(), Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String id = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(customer, id, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        return id;
    }

    private static MutableHttpRequest<?> get(String path, String token) {
        return HttpRequest.GET(path).bearerAuth(token);
    }

    private static MutableHttpRequest<?> post(String path, Map<String, Object> body, String token, String key) {
        return HttpRequest.POST(path, body).bearerAuth(token).header("Idempotency-Key", key);
    }

    private static Map<String, Object> ok(MutableHttpRequest<?> request) {
        HttpResponse<Map<String, Object>> response = shop.app().exchange(request);
        assertEquals(200, response.code(), () -> request.getPath() + ": " + response.getBody().orElse(null));
        return response.getBody().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse<String> raw(MutableHttpRequest<?> request) {
        try {
            return shop.app().http().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            return (HttpResponse<String>) e.getResponse();
        }
    }

    private static void expect(int status, String code, MutableHttpRequest<?> request) {
        HttpResponse<Map<String, Object>> response = shop.app().exchange(request);
        assertEquals(status, response.code(), () -> request.getMethod() + " " + request.getUri() + ": " + response.getBody());
        assertEquals(code, TestApp.error(response).get("code"), () -> String.valueOf(response.getBody()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lifecycle(Map<String, Object> server) {
        return (Map<String, Object>) server.get("lifecycle");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aServerRecordedByAnEarlierVersionIsListedByTheSweep() {
        String demoId = (String) ok(get("/api/v1/auth/me", customer)).get("id");
        String old = "srv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        // written as a version before customer lists did: not on the customer's list, not marked listed
        shop.app().bean(Database.class).collection("servers").insertOne(new Document("_id", old)
                .append("customerId", demoId).append("planId", "paper-2g").append("name", "From before")
                .append("status", "ACTIVE").append("createdAt", new java.util.Date()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Map<String, Object>> items;
        do {
            items = (List<Map<String, Object>>) ok(get("/api/v1/servers?size=100", customer)).get("items");
            if (items.stream().anyMatch(item -> old.equals(item.get("id")))) {
                assertTrue(items.stream().anyMatch(item -> serverId.equals(item.get("id"))), "the others stay listed");
                return;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("never listed: " + items);
    }

    private static Map<String, Object> awaitServer(String token, String id, Predicate<Map<String, Object>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Object> last;
        do {
            last = ok(get("/api/v1/servers/" + id, token));
            if (done.test(last)) {
                return last;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("server " + id + " not as expected in time: " + last);
    }

    /** Answered calls (2xx) only: a retried attempt that the panel refused is not an effect. */
    private static long panelCalls(String method, String path) {
        return TestStack.panel().state().requests().stream()
                .filter(r -> method.equals(r.method()) && path.equals(r.path()) && r.status() / 100 == 2).count();
    }

    private static List<Document> audits(String id, String action) {
        return shop.app().bean(Database.class).collection(AuditRepository.COLLECTION)
                .find(Filters.and(Filters.eq("action", action), Filters.eq("target", "server:" + id)))
                .into(new ArrayList<>());
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
