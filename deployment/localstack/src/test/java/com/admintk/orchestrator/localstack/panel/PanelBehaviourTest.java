package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PanelBehaviourTest {
    static PanelSimulator sim;
    static SimHttp http;

    @BeforeAll
    static void start() {
        sim = new PanelSimulator(PanelSimulator.config().installTime(Duration.ofMillis(200))
                .powerTransition(Duration.ofMillis(50)).randomSeed(42).build()).start();
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
        sim.settings().installTime(Duration.ofMillis(200)).rateLimits(240, 720);
    }

    static ObjectNode paperBody(String externalId, int allocation) {
        ObjectNode body = SimHttp.fixtureObject("app_server_create_request_allocation.json");
        body.put("external_id", externalId);
        body.put("user", 1);
        body.putObject("allocation").put("default", allocation);
        body.put("start_on_completion", false);
        return body;
    }

    @Test
    void externalIdIsUniqueSoARetriedCreateGets422AndOneServerExists() {
        assertEquals(201, http.app("POST", "/servers", paperBody("order-x", 1000)).status());
        SimHttp.Res again = http.app("POST", "/servers", paperBody("order-x", 1001));
        assertEquals(422, again.status());
        assertEquals("external_id", again.json().at("/errors/0/meta/source_field").asText());
        assertEquals("unique", again.json().at("/errors/0/meta/rule").asText());
        assertEquals(1, sim.state().servers().size());
        assertEquals(200, http.app("GET", "/servers/external/order-x", null).status());
        assertEquals(404, http.app("GET", "/servers/external/order-y", null).status());
    }

    @Test
    void newServersInstallThenStatusBecomesNullAndReinstallGoesBackToInstalling() throws Exception {
        JsonNode s = http.app("POST", "/servers", paperBody("order-i", 1000)).json();
        int id = s.at("/attributes/id").asInt();
        assertEquals("installing", s.at("/attributes/status").asText());
        assertEquals(0, s.at("/attributes/container/installed").asInt());
        assertNull(SimHttp.awaitInstalled(sim, id, Duration.ofSeconds(5)));
        assertEquals(1, http.app("GET", "/servers/" + id, null).json().at("/attributes/container/installed").asInt());
        assertEquals(204, http.app("POST", "/servers/" + id + "/reinstall", null).status());
        assertEquals("installing", sim.state().server(id).orElseThrow().status());
        assertNull(SimHttp.awaitInstalled(sim, id, Duration.ofSeconds(5)));
    }

    @Test
    void injectedInstallFailuresEndInstallFailed() throws Exception {
        sim.faults().failNextInstalls(1);
        int a = http.app("POST", "/servers", paperBody("order-a", 1000)).json().at("/attributes/id").asInt();
        int b = http.app("POST", "/servers", paperBody("order-b", 1001)).json().at("/attributes/id").asInt();
        assertEquals("install_failed", SimHttp.awaitInstalled(sim, a, Duration.ofSeconds(5)));
        assertNull(SimHttp.awaitInstalled(sim, b, Duration.ofSeconds(5)));
        sim.faults().failNextInstalls(1);
        http.app("POST", "/servers/" + b + "/reinstall", null);
        assertEquals("reinstall_failed", SimHttp.awaitInstalled(sim, b, Duration.ofSeconds(5)));
    }

    @Test
    void suspendAndUnsuspendAreIdempotent() throws Exception {
        int id = http.app("POST", "/servers", paperBody("order-s", 1000)).json().at("/attributes/id").asInt();
        SimHttp.awaitInstalled(sim, id, Duration.ofSeconds(5));
        assertEquals(204, http.app("POST", "/servers/" + id + "/suspend", null).status());
        assertEquals(204, http.app("POST", "/servers/" + id + "/suspend", null).status());
        assertTrue(sim.state().server(id).orElseThrow().suspended());
        assertEquals(204, http.app("POST", "/servers/" + id + "/unsuspend", null).status());
        assertEquals(204, http.app("POST", "/servers/" + id + "/unsuspend", null).status());
        SimState.ServerView v = sim.state().server(id).orElseThrow();
        assertFalse(v.suspended());
        assertNull(v.status());
    }

    @Test
    void deleteFailsOnADeadNodeButForceDeleteWorksAndFreesTheAllocation() {
        int id = http.app("POST", "/servers", paperBody("order-d", 1000)).json().at("/attributes/id").asInt();
        assertEquals(204, http.call("POST", "/_sim/nodes/1/dead", null, null).status());
        SimHttp.Res del = http.app("DELETE", "/servers/" + id, null);
        assertEquals(504, del.status());
        assertEquals("DaemonConnectionException", del.json().at("/errors/0/code").asText());
        assertEquals(1, sim.state().servers().size());
        assertEquals(204, http.app("DELETE", "/servers/" + id + "/force", null).status());
        assertTrue(sim.state().servers().isEmpty());
        JsonNode free = http.app("GET", "/nodes/1/allocations?filter[server_id]=none&per_page=500", null).json();
        assertTrue(free.get("data").findValuesAsText("id").contains("1000"));
        assertEquals(204, http.call("DELETE", "/_sim/nodes/1/dead", null, null).status());
    }

    @Test
    void aRevokedApplicationKeyAnswers401UntilRestoredWhileTheClientKeyKeepsWorking() {
        try {
            http.call("PUT", "/_sim/config", null, Map.of("application_key_revoked", true));
            SimHttp.Res denied = http.app("GET", "/nodes", null);
            assertEquals(401, denied.status());
            assertEquals("AccessDeniedHttpException", denied.json().at("/errors/0/code").asText());
            assertEquals(200, http.client("GET", "", null).status());
            assertTrue(http.call("GET", "/_sim/config", null, null).json().get("application_key_revoked").asBoolean());
        } finally {
            sim.settings().applicationKeyRevoked(false);
        }
        assertEquals(200, http.app("GET", "/nodes", null).status());
    }

    @Test
    void rateLimitAnswers429WithRetryAfterAndAdmitsAtMostTheLimitPerMinute() {
        http.call("PUT", "/_sim/config", null, Map.of("rate_limit_application", 5));
        int ok = 0;
        SimHttp.Res limited = null;
        for (int i = 0; i < 8; i++) {
            SimHttp.Res r = http.app("GET", "/nodes", null);
            if (r.status() == 200) ok++;
            else limited = r;
        }
        assertEquals(5, ok);
        assertEquals(429, limited.status());
        long retryAfter = Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals("ThrottleRequestsException", limited.json().at("/errors/0/code").asText());
        assertEquals(5, sim.state().maxRequestsInWindow(Duration.ofSeconds(60), r -> r.status() != 429));
        assertEquals(200, http.client("GET", "", null).status(), "client API has its own bucket");
        JsonNode req = http.call("GET", "/_sim/requests", null, null).json();
        assertEquals(9, req.get("total").asInt());
        assertEquals(3, req.at("/by_status/429").asInt());
    }

    @Test
    void slowCreateStillCreatesTheServerBeforeAnswering() throws Exception {
        sim.faults().slowNextCreates(1, Duration.ofMillis(1500));
        HttpRequest req = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/application/servers"))
                .timeout(Duration.ofMillis(300))
                .header("Authorization", "Bearer ptla_demo").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SimHttp.write(paperBody("order-slow", 1000)))).build();
        assertThrows(HttpTimeoutException.class, () -> http.client.send(req, HttpResponse.BodyHandlers.ofString()));
        assertTrue(sim.state().serverByExternalId("order-slow").isPresent(), "the row exists before the answer");
        assertEquals(200, http.app("GET", "/servers/external/order-slow", null).status());
        assertEquals(422, http.app("POST", "/servers", paperBody("order-slow", 1001)).status());
        assertEquals(1, sim.state().servers().size());
    }

    @Test
    void scheduledFaultsHitTheNextPanelRequestsButNeverTheControlEndpoints() {
        sim.faults().afterProcessingRatio(0).failNext(FaultInjector.Fault.HTTP_500, 1)
                .failNext(FaultInjector.Fault.HTTP_502, 1).failNext(FaultInjector.Fault.RATE_LIMIT, 1)
                .failNext(FaultInjector.Fault.RESET, 1).failNext(FaultInjector.Fault.HTTP_504, 1);
        assertEquals(200, http.call("GET", "/_sim/servers", null, null).status());
        assertEquals(500, http.app("GET", "/nodes", null).status());
        assertEquals(502, http.app("GET", "/nodes", null).status());
        SimHttp.Res r429 = http.app("GET", "/nodes", null);
        assertEquals(429, r429.status());
        assertTrue(r429.raw().headers().firstValue("Retry-After").isPresent());
        // POST: the JDK client silently retries idempotent requests once on a dropped connection
        assertThrows(IOException.class, () -> http.client.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/api/application/users"))
                .header("Authorization", "Bearer ptla_demo").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(504, http.app("GET", "/nodes", null).status());
        assertEquals(200, http.app("GET", "/nodes", null).status());
        assertTrue(sim.state().requests().stream().anyMatch(r -> r.status() == 0), "reset logged with status 0");
    }

    @Test
    void faultsAfterProcessingLoseTheAnswerButKeepTheEffect() {
        sim.faults().afterProcessingRatio(1).failNext(FaultInjector.Fault.HTTP_504, 1);
        assertEquals(504, http.app("POST", "/servers", paperBody("order-lost", 1000)).status());
        assertTrue(sim.state().serverByExternalId("order-lost").isPresent());
    }

    @Test
    void timeoutFaultHoldsTheRequestThen504() {
        sim.faults().timeoutHold(Duration.ofMillis(400)).afterProcessingRatio(0).failNext(FaultInjector.Fault.TIMEOUT, 1);
        long t0 = System.nanoTime();
        assertEquals(504, http.app("GET", "/locations", null).status());
        assertTrue(System.nanoTime() - t0 >= 350_000_000L);
    }

    @Test
    void faultControlOverHttpAppliesProbabilitiesAndDeleteClearsThem() {
        SimHttp.Res r = http.call("POST", "/_sim/faults", null, Map.of("probabilities", Map.of("500", 1.0)));
        assertEquals(200, r.status(), r.body());
        assertEquals(500, http.app("GET", "/nodes", null).status());
        assertEquals(204, http.call("DELETE", "/_sim/faults", null, null).status());
        assertEquals(200, http.app("GET", "/nodes", null).status());
        http.call("POST", "/_sim/faults", null, Map.of("mixed", 0.2, "path_regex", "^/api/application/servers"));
        assertEquals(200, http.app("GET", "/nodes", null).status(), "path filter spares other paths");
    }

    @Test
    void deployPlacesOnARequestedLocationAndAssignsTheAllocation() {
        ObjectNode body = SimHttp.fixtureObject("app_server_create_request_deploy.json");
        body.put("user", 1);
        body.withArray("/deploy/locations").removeAll().add(2);
        JsonNode s = http.app("POST", "/servers", body).json();
        assertEquals(2, s.at("/attributes/node").asInt());
        int alloc = s.at("/attributes/allocation").asInt();
        JsonNode assigned = http.app("GET", "/nodes/2/allocations?filter[server_id]=" + s.at("/attributes/id").asInt(), null).json();
        assertEquals(alloc, assigned.at("/data/0/attributes/id").asInt());
        assertTrue(assigned.at("/data/0/attributes/assigned").asBoolean());
    }

    @Test
    void listsPaginate() {
        for (int i = 0; i < 5; i++) http.app("POST", "/servers", paperBody("order-p" + i, 1000 + i));
        JsonNode p2 = http.app("GET", "/servers?per_page=2&page=2", null).json();
        assertEquals(2, p2.get("data").size());
        assertEquals(5, p2.at("/meta/pagination/total").asInt());
        assertEquals(3, p2.at("/meta/pagination/total_pages").asInt());
        assertTrue(p2.at("/meta/pagination/links/next").asText().contains("page=3"));
        assertEquals(1, http.app("GET", "/servers?filter[external_id]=order-p3", null).json().get("data").size());
    }

    @Test
    void controlEndpointsShowServersAndChangeConfig() {
        http.app("POST", "/servers", paperBody("order-ctl", 1000));
        JsonNode servers = http.call("GET", "/_sim/servers", null, null).json();
        assertEquals("order-ctl", servers.at("/data/0/external_id").asText());
        assertEquals("installing", servers.at("/data/0/status").asText());
        JsonNode cfg = http.call("PUT", "/_sim/config", null, Map.of("install_time_ms", 1234)).json();
        assertEquals(1234, cfg.get("install_time_ms").asInt());
        assertEquals(Duration.ofMillis(1234), sim.settings().installTime());
        assertEquals(204, http.call("POST", "/_sim/reset", null, null).status());
        assertTrue(sim.state().servers().isEmpty());
    }
}
