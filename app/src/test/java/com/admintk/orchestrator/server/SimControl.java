package com.admintk.orchestrator.server;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import org.bson.Document;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Servers planted on a test's own panel simulator and in the store, as if a checkout had made them. */
final class SimControl {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private SimControl() {
    }

    /** A server on the panel (installed, offline) and its ACTIVE store record; returns the panel's id. */
    static int plant(PanelSimulator panel, MongoCollection<Document> servers, String serverId, String customerId,
                     String planId) throws Exception {
        HttpResponse<String> planted = send(panel, "POST", "/_sim/servers", Map.of("external_id", "order:" + serverId,
                "name", "Server " + serverId));
        assertEquals(201, planted.statusCode(), planted.body());
        int panelId = JSON.readTree(planted.body()).get("id").asInt();
        servers.insertOne(new Document("_id", serverId).append("customerId", customerId).append("planId", planId)
                .append("name", "Server " + serverId).append("status", ServerStore.ACTIVE)
                .append("panelIdentifier", identifier(panel, panelId)).append("externalId", "order:" + serverId));
        return panelId;
    }

    static String identifier(PanelSimulator panel, int panelId) {
        return panel.state().server(panelId).orElseThrow().identifier();
    }

    /** Pins (or, with null, releases) the CPU the panel reports for the server. */
    static void forceCpu(PanelSimulator panel, int panelId, Double cpuAbsolute) throws Exception {
        Map<String, Object> usage = new java.util.HashMap<>();
        usage.put("usage", cpuAbsolute == null ? null : Map.of("cpu_absolute", cpuAbsolute));
        HttpResponse<String> patched = send(panel, "PATCH", "/_sim/servers/" + panelId, usage);
        assertEquals(200, patched.statusCode(), patched.body());
    }

    /** The panel's resources calls for one server since the given time. */
    static long resourcePolls(PanelSimulator panel, String identifier, long fromMillis, long toMillis) {
        String path = "/api/client/servers/" + identifier + "/resources";
        return panel.state().requests().stream().filter(r -> r.path().equals(path))
                .filter(r -> r.at().toEpochMilli() >= fromMillis && r.at().toEpochMilli() < toMillis).count();
    }

    private static HttpResponse<String> send(PanelSimulator panel, String method, String path, Object body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(panel.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
