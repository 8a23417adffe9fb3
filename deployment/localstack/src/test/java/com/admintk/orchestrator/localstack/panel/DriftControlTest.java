package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control routes that plant drift behind the orchestrator's back, as the panel's own API then shows it. */
class DriftControlTest {
    static PanelSimulator sim;
    static SimHttp http;

    @BeforeAll
    static void start() {
        sim = new PanelSimulator(PanelSimulator.config().installTime(Duration.ofMillis(200)).randomSeed(7).build()).start();
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
    }

    @Test
    void aPlantedServerIsListedByThePanelWithItsExternalIdAndAge() {
        SimHttp.Res planted = http.call("POST", "/_sim/servers", null,
                Map.of("external_id", "order:ghost", "created_at", "2020-01-02T03:04:05Z"));
        assertEquals(201, planted.status(), planted.body());
        int id = planted.json().get("id").asInt();
        JsonNode server = http.app("GET", "/servers/" + id, null).json().get("attributes");
        assertEquals("order:ghost", server.get("external_id").asText());
        assertTrue(server.get("status").isNull(), "installed, no install running");
        assertEquals("2020-01-02T03:04:05+00:00", server.get("created_at").asText());
        assertEquals(422, http.call("POST", "/_sim/servers", null, Map.of("external_id", "order:ghost")).status(),
                "external_id stays unique");
    }

    @Test
    void suspensionLimitsAndStatusChangeWithoutWingsAndTheRecordCanBeDropped() {
        int id = http.call("POST", "/_sim/servers", null, Map.of("external_id", "order:x")).json().get("id").asInt();
        assertEquals(204, http.call("POST", "/_sim/nodes/1/dead", null, null).status());

        assertEquals(200, http.call("PATCH", "/_sim/servers/" + id, null, Map.of("suspended", true)).status());
        assertTrue(sim.state().server(id).orElseThrow().suspended(), "no Wings needed");
        http.call("PATCH", "/_sim/servers/" + id, null, Map.of("suspended", false,
                "limits", Map.of("memory", 512, "cpu", 50), "feature_limits", Map.of("backups", 9)));
        JsonNode server = http.app("GET", "/servers/" + id, null).json().get("attributes");
        assertFalse(server.get("suspended").asBoolean());
        assertEquals(512, server.at("/limits/memory").asInt());
        assertEquals(50, server.at("/limits/cpu").asInt());
        assertEquals(9, server.at("/feature_limits/backups").asInt());

        http.call("PATCH", "/_sim/servers/" + id, null, Map.of("status", "installing"));
        assertEquals("installing", sim.state().server(id).orElseThrow().status());
        assertEquals(400, http.call("PATCH", "/_sim/servers/" + id, null, Map.of("status", "exploded")).status());

        assertEquals(204, http.call("DELETE", "/_sim/servers/" + id, null, null).status());
        assertTrue(sim.state().server(id).isEmpty(), "gone even though its node is dead");
        assertEquals(404, http.app("GET", "/servers/" + id, null).status());
        assertEquals(404, http.call("PATCH", "/_sim/servers/" + id, null, Map.of("suspended", true)).status());
        assertEquals(204, http.call("DELETE", "/_sim/nodes/1/dead", null, null).status());
    }

    @Test
    void aPlantedInstallNeverFinishesByItself() throws Exception {
        int id = http.call("POST", "/_sim/servers", null, Map.of("external_id", "order:stuck", "status", "installing"))
                .json().get("id").asInt();
        Thread.sleep(600);
        assertEquals("installing", sim.state().server(id).orElseThrow().status());
        assertEquals(0, http.app("GET", "/servers/" + id, null).json().at("/attributes/container/installed").asInt());
    }

    @Test
    void forcedUsageIsWhatResourcesReportUntilItIsCleared() {
        int id = http.call("POST", "/_sim/servers", null, Map.of("external_id", "order:hot")).json().get("id").asInt();
        String ident = sim.state().server(id).orElseThrow().identifier();
        JsonNode idle = http.client("GET", "/servers/" + ident + "/resources", null).json().at("/attributes");
        assertEquals("offline", idle.get("current_state").asText());
        assertEquals(0.0, idle.at("/resources/cpu_absolute").asDouble(), "an offline server uses nothing");

        assertEquals(200, http.call("PATCH", "/_sim/servers/" + id, null,
                Map.of("usage", Map.of("cpu_absolute", 187.5, "memory_bytes", 900_000_000L))).status());
        JsonNode hot = http.client("GET", "/servers/" + ident + "/resources", null).json().at("/attributes/resources");
        assertEquals(187.5, hot.get("cpu_absolute").asDouble());
        assertEquals(900_000_000L, hot.get("memory_bytes").asLong());

        assertEquals(400, http.call("PATCH", "/_sim/servers/" + id, null,
                Map.of("usage", Map.of("cpu_absolute", "lots"))).status());
        assertEquals(400, http.call("PATCH", "/_sim/servers/" + id, null,
                Map.of("usage", Map.of("memory_bytes", -1))).status());

        assertEquals(200, http.call("PATCH", "/_sim/servers/" + id, null,
                java.util.Collections.singletonMap("usage", null)).status());
        JsonNode cleared = http.client("GET", "/servers/" + ident + "/resources", null).json().at("/attributes/resources");
        assertEquals(0.0, cleared.get("cpu_absolute").asDouble(), "back to the simulated figures");
        assertEquals(0L, cleared.get("memory_bytes").asLong());
    }
}
