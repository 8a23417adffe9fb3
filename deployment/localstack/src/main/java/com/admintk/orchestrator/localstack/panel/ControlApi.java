package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code /_sim/...}: inspection and fault control for tests, benchmarks and other JVMs. No auth, no faults. */
final class ControlApi {
    private final PanelSimulator sim;
    private final PanelEngine engine;
    private final PanelHttp http;

    ControlApi(PanelSimulator sim, PanelEngine engine, PanelHttp http) {
        this.sim = sim;
        this.engine = engine;
        this.http = http;
    }

    /**
     * {@code POST /_sim/servers {"external_id", "name"?, "status"?, "created_at"?, "limits"?}}: a server that no
     * create request made (no install runs), on the first free allocation, for the first user and egg.
     */
    private Reply plantServer(PanelHttp.Ctx c) {
        JsonNode b = Json.parse(c.body());
        synchronized (engine.state) {
            SimState st = engine.state;
            String ext = b.hasNonNull("external_id") ? b.get("external_id").asText() : null;
            if (ext != null && st.servers.values().stream().anyMatch(s -> ext.equals(s.externalId))) {
                throw PanelException.of(422, "ValidationException", "The external id has already been taken.");
            }
            SimState.Allocation allocation = st.allocations.values().stream().filter(a -> a.serverId == null)
                    .findFirst().orElseThrow(() -> PanelException.of(400, "NoViableAllocationException", "No free allocation."));
            SimState.Egg egg = st.eggs.values().iterator().next();
            SimState.Server s = new SimState.Server();
            s.id = st.nextServerId++;
            s.uuid = UUID.randomUUID().toString();
            s.identifier = s.uuid.substring(0, 8);
            s.externalId = ext;
            s.name = b.path("name").asText("Planted server");
            s.description = "";
            s.memory = 1024; s.disk = 5120; s.io = 500; s.cpu = 100;
            s.databases = 0; s.allocationsLimit = 0; s.backups = 0;
            s.userId = st.users.keySet().iterator().next();
            s.nodeId = allocation.nodeId;
            s.allocationId = allocation.id;
            allocation.serverId = s.id;
            s.eggId = egg.id;
            s.nestId = egg.nestId;
            s.startup = egg.startup;
            s.image = egg.dockerImage;
            s.installedOnce = true;
            PanelEngine.seedFiles(s, egg);
            st.servers.put(s.id, s);
            alter(s, b);
            return Reply.json(201, Json.object().put("id", s.id));
        }
    }

    /**
     * {@code PATCH /_sim/servers/{id} {"status"?, "suspended"?, "created_at"?, "limits"?, "feature_limits"?,
     * "usage"?}}:
     * changes the record without Wings or validation, as a panel admin editing the database would.
     */
    private Reply alterServer(PanelHttp.Ctx c) {
        JsonNode b = Json.parse(c.body());
        synchronized (engine.state) {
            SimState.Server s = existing(c.pInt("id"));
            alter(s, b);
            return Reply.json(Json.MAPPER.valueToTree(s.view()));
        }
    }

    private static void alter(SimState.Server s, JsonNode b) {
        if (b.has("status")) {
            String status = b.get("status").isNull() ? null : b.get("status").asText();
            if (status != null && !List.of("installing", "install_failed", "reinstall_failed", "suspended").contains(status)) {
                throw PanelException.badRequest("status must be null, installing, install_failed, reinstall_failed or suspended");
            }
            s.status = status;
            // a planted install never finishes by itself
            s.installGeneration++;
        }
        if (b.has("suspended")) {
            boolean suspended = b.get("suspended").asBoolean();
            if (suspended) {
                s.status = "suspended";
            } else if (s.suspended()) {
                s.status = null;
            }
        }
        if (b.hasNonNull("created_at")) {
            try {
                s.created = Instant.parse(b.get("created_at").asText());
            } catch (java.time.format.DateTimeParseException e) {
                throw PanelException.badRequest("created_at must be an ISO-8601 instant");
            }
        }
        ApplicationApi.applyLimits(s, b.get("limits"));
        ApplicationApi.applyFeatureLimits(s, b.get("feature_limits"));
        if (b.has("usage")) {
            forceUsage(s, b.get("usage"));
        }
        s.updated = Instant.now();
    }

    /**
     * {@code "usage": {"cpu_absolute"?, "memory_bytes"?}} pins what resources and the Wings stats report for the
     * server, whatever its power state (a runaway process for alert tests); {@code "usage": null} or a field set to
     * null goes back to the simulated figures.
     */
    private static void forceUsage(SimState.Server s, JsonNode usage) {
        if (usage == null || usage.isNull()) {
            s.forcedCpu = null;
            s.forcedMemoryBytes = null;
            return;
        }
        if (!usage.isObject()) {
            throw PanelException.badRequest("usage must be an object or null");
        }
        if (usage.has("cpu_absolute")) {
            JsonNode cpu = usage.get("cpu_absolute");
            if (!cpu.isNull() && (!cpu.isNumber() || cpu.asDouble() < 0)) {
                throw PanelException.badRequest("usage.cpu_absolute must be a number >= 0 or null");
            }
            s.forcedCpu = cpu.isNull() ? null : cpu.asDouble();
        }
        if (usage.has("memory_bytes")) {
            JsonNode memory = usage.get("memory_bytes");
            if (!memory.isNull() && (!memory.isIntegralNumber() || memory.asLong() < 0)) {
                throw PanelException.badRequest("usage.memory_bytes must be a whole number >= 0 or null");
            }
            s.forcedMemoryBytes = memory.isNull() ? null : memory.asLong();
        }
    }

    private SimState.Server existing(int id) {
        SimState.Server s = engine.state.servers.get(id);
        if (s == null) throw PanelException.notFound();
        return s;
    }

    void register() {
        http.control("GET", "/_sim/health", c -> Reply.json(Json.object().put("status", "ok").put("base_url", sim.baseUrl())));
        http.control("GET", "/_sim/servers", c -> {
            ArrayNode arr = Json.array();
            for (SimState.ServerView s : engine.state.servers()) arr.add(Json.MAPPER.valueToTree(Map.ofEntries(
                    Map.entry("id", s.id()), Map.entry("external_id", s.externalId() == null ? "" : s.externalId()),
                    Map.entry("uuid", s.uuid()), Map.entry("identifier", s.identifier()), Map.entry("name", s.name()),
                    Map.entry("status", s.status() == null ? "null" : s.status()), Map.entry("suspended", s.suspended()),
                    Map.entry("node", s.node()), Map.entry("user", s.user()), Map.entry("egg", s.egg()),
                    Map.entry("allocation", s.allocation()), Map.entry("power_state", s.powerState()))));
            // status/external_id as real nulls
            for (int i = 0; i < arr.size(); i++) {
                ObjectNode o = (ObjectNode) arr.get(i);
                if (o.get("status").asText().equals("null")) o.putNull("status");
                if (o.get("external_id").asText().isEmpty()) o.putNull("external_id");
            }
            return Reply.json(Json.object().set("data", arr));
        });
        // Drift planted behind the orchestrator's back, as an operator or a panel bug would (reconciliation tests).
        http.control("POST", "/_sim/servers", this::plantServer);
        http.control("PATCH", "/_sim/servers/{id}", this::alterServer);
        http.control("DELETE", "/_sim/servers/{id}", c -> {
            synchronized (engine.state) {
                engine.remove(existing(c.pInt("id")));
            }
            return Reply.noContent();
        });
        http.control("GET", "/_sim/users", c -> {
            ArrayNode arr = Json.array();
            for (SimState.UserView u : engine.state.users()) arr.add(Json.MAPPER.valueToTree(u));
            return Reply.json(Json.object().set("data", arr));
        });
        http.control("GET", "/_sim/requests", c -> {
            long since = c.q("since") == null ? 0 : Long.parseLong(c.q("since"));
            List<SimState.RequestRecord> all = engine.state.requests().stream()
                    .filter(r -> r.at().toEpochMilli() >= since).toList();
            ObjectNode out = Json.object();
            out.put("total", all.size());
            ObjectNode byStatus = out.putObject("by_status");
            all.stream().collect(java.util.stream.Collectors.groupingBy(r -> String.valueOf(r.status()),
                    java.util.TreeMap::new, java.util.stream.Collectors.counting())).forEach(byStatus::put);
            Duration minute = Duration.ofSeconds(60);
            out.put("max_in_any_60s", engine.state.maxRequestsInWindow(minute, r -> r.at().toEpochMilli() >= since));
            out.put("max_in_any_60s_excluding_429", engine.state.maxRequestsInWindow(minute,
                    r -> r.at().toEpochMilli() >= since && r.status() != 429));
            out.put("max_application_in_any_60s", engine.state.maxRequestsInWindow(minute,
                    r -> r.at().toEpochMilli() >= since && r.bucket().equals("application")));
            if ("true".equals(c.q("entries"))) {
                ArrayNode e = out.putArray("entries");
                for (SimState.RequestRecord r : all) {
                    e.addObject().put("at_ms", r.at().toEpochMilli()).put("end_ms", r.end().toEpochMilli())
                            .put("method", r.method()).put("path", r.path()).put("query", r.query())
                            .put("body", r.body()).put("caller", r.caller())
                            .put("status", r.status()).put("bucket", r.bucket());
                }
            }
            return Reply.json(out);
        });
        http.control("DELETE", "/_sim/requests", c -> {
            engine.state.clearRequests();
            return Reply.noContent();
        });
        http.control("GET", "/_sim/faults", c -> Reply.json(Json.MAPPER.valueToTree(engine.faults.snapshot())));
        http.control("POST", "/_sim/faults", c -> {
            Map<String, Object> body = Json.MAPPER.readValue(c.body().isBlank() ? "{}" : c.body(), new TypeReference<>() {});
            try {
                engine.faults.apply(body);
            } catch (IllegalArgumentException e) {
                return Reply.json(400, Json.object().put("error", e.getMessage()));
            }
            return Reply.json(Json.MAPPER.valueToTree(engine.faults.snapshot()));
        });
        http.control("DELETE", "/_sim/faults", c -> {
            engine.faults.clear();
            return Reply.noContent();
        });
        http.control("POST", "/_sim/reset", c -> {
            sim.reset();
            return Reply.noContent();
        });
        http.control("POST", "/_sim/nodes", c -> {
            JsonNode b = Json.parse(c.body().isBlank() ? "{}" : c.body());
            if (!b.hasNonNull("location_id") || !b.get("location_id").canConvertToInt()) {
                throw PanelException.badRequest("location_id (integer) is required");
            }
            int id = sim.addNode(b.get("location_id").asInt(), b.path("name").asText(null));
            return Reply.json(201, Json.object().put("id", id));
        });
        http.control("POST", "/_sim/nodes/{id}/dead", c -> {
            engine.faults.killNode(c.pInt("id"));
            return Reply.noContent();
        });
        http.control("DELETE", "/_sim/nodes/{id}/dead", c -> {
            engine.faults.reviveNode(c.pInt("id"));
            return Reply.noContent();
        });
        http.control("GET", "/_sim/config", c -> Reply.json(Json.MAPPER.valueToTree(engine.settings.snapshot())));
        http.control("PUT", "/_sim/config", c -> {
            Map<String, Object> body = Json.MAPPER.readValue(c.body().isBlank() ? "{}" : c.body(), new TypeReference<>() {});
            engine.settings.apply(body);
            return Reply.json(Json.MAPPER.valueToTree(engine.settings.snapshot()));
        });
        http.control("POST", "/_sim/websockets/drop", c -> {
            int n = engine.hub.connectionCount();
            engine.hub.dropAll();
            return Reply.json(Json.object().put("dropped", n));
        });
        http.control("GET", "/_sim/websockets", c -> Reply.json(Json.object().put("open", engine.hub.connectionCount())));
        http.control("GET", "/_sim/time", c -> Reply.json(Json.object().put("now_ms", Instant.now().toEpochMilli())));
    }
}
