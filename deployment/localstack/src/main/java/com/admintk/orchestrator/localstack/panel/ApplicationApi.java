package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static com.admintk.orchestrator.localstack.panel.PanelException.Violation;

/** {@code /api/application}: users, servers, nodes, allocations, locations, nests and eggs. */
final class ApplicationApi {
    private static final String P = "/api/application";

    private final PanelEngine engine;
    private final PanelHttp http;
    private final SimState st;
    private final Transformers tx;

    ApplicationApi(PanelEngine engine, PanelHttp http) {
        this.engine = engine;
        this.http = http;
        this.st = engine.state;
        this.tx = new Transformers(engine.state);
    }

    void register() {
        http.panel("GET", P + "/users", this::listUsers);
        http.panel("GET", P + "/users/external/{external_id}", c -> locked(() -> {
            SimState.User u = st.users.values().stream().filter(x -> c.p("external_id").equals(x.externalId)).findFirst()
                    .orElseThrow(PanelException::notFound);
            return Reply.json(tx.user(u));
        }));
        http.panel("GET", P + "/users/{id}", c -> locked(() -> Reply.json(tx.user(user(c.pInt("id"))))));
        http.panel("POST", P + "/users", this::createUser);
        http.panel("DELETE", P + "/users/{id}", c -> locked(() -> {
            SimState.User u = user(c.pInt("id"));
            if (st.servers.values().stream().anyMatch(s -> s.userId == u.id)) {
                throw PanelException.of(400, "DisplayException", "Cannot delete a user with active servers attached to their account.");
            }
            st.users.remove(u.id);
            return Reply.noContent();
        }));

        http.panel("GET", P + "/servers", this::listServers);
        http.panel("GET", P + "/servers/external/{external_id}", c -> locked(() -> {
            SimState.Server s = st.servers.values().stream().filter(x -> c.p("external_id").equals(x.externalId)).findFirst()
                    .orElseThrow(PanelException::notFound);
            return Reply.json(tx.server(s, PanelHttp.includes(c)));
        }));
        http.panel("GET", P + "/servers/{id}", c -> locked(() -> Reply.json(tx.server(server(c), PanelHttp.includes(c)))));
        http.panel("POST", P + "/servers", this::createServer);
        http.panel("POST", P + "/servers/{id}/suspend", c -> locked(() -> {
            SimState.Server s = server(c);
            if (s.suspended()) return Reply.noContent();
            requireWings(s);
            s.status = "suspended";
            s.updated = Instant.now();
            engine.power(s, "kill");
            return Reply.noContent();
        }));
        http.panel("POST", P + "/servers/{id}/unsuspend", c -> locked(() -> {
            SimState.Server s = server(c);
            if (!s.suspended()) return Reply.noContent();
            requireWings(s);
            s.status = null;
            s.updated = Instant.now();
            return Reply.noContent();
        }));
        http.panel("POST", P + "/servers/{id}/reinstall", c -> locked(() -> {
            SimState.Server s = server(c);
            requireWings(s);
            engine.power(s, "kill");
            engine.startInstall(s, true);
            s.updated = Instant.now();
            return Reply.noContent();
        }));
        http.panel("DELETE", P + "/servers/{id}", c -> locked(() -> {
            SimState.Server s = server(c);
            requireWings(s);
            remove(s);
            return Reply.noContent();
        }));
        http.panel("DELETE", P + "/servers/{id}/force", c -> locked(() -> {
            remove(server(c));
            return Reply.noContent();
        }));
        http.panel("PATCH", P + "/servers/{id}/build", this::updateBuild);
        http.panel("PATCH", P + "/servers/{id}/startup", this::updateStartup);
        http.panel("PATCH", P + "/servers/{id}/details", this::updateDetails);

        http.panel("GET", P + "/nodes", c -> locked(() ->
                Reply.json(Transformers.page(st.nodes.values().stream().map(tx::node).toList(),
                        PanelHttp.page(c), PanelHttp.perPage(c, 50, 500), http.url(c)))));
        http.panel("GET", P + "/nodes/deployable", this::deployableNodes);
        http.panel("GET", P + "/nodes/{id}", c -> locked(() -> Reply.json(tx.node(node(c.pInt("id"))))));
        http.panel("GET", P + "/nodes/{id}/allocations", this::nodeAllocations);

        http.panel("GET", P + "/locations", c -> locked(() ->
                Reply.json(Transformers.page(st.locations.values().stream().map(tx::location).toList(),
                        PanelHttp.page(c), PanelHttp.perPage(c, 50, 500), http.url(c)))));
        http.panel("GET", P + "/locations/{id}", c -> locked(() -> {
            SimState.Location l = st.locations.get(c.pInt("id"));
            if (l == null) throw PanelException.notFound();
            return Reply.json(tx.location(l));
        }));

        http.panel("GET", P + "/nests", c -> locked(() ->
                Reply.json(Transformers.page(st.nests.values().stream().map(tx::nest).toList(),
                        PanelHttp.page(c), PanelHttp.perPage(c, 50, 500), http.url(c)))));
        http.panel("GET", P + "/nests/{nest}", c -> locked(() -> {
            SimState.Nest n = st.nests.get(c.pInt("nest"));
            if (n == null) throw PanelException.notFound();
            return Reply.json(tx.nest(n));
        }));
        http.panel("GET", P + "/nests/{nest}/eggs", c -> locked(() -> {
            int nest = c.pInt("nest");
            if (!st.nests.containsKey(nest)) throw PanelException.notFound();
            Set<String> inc = PanelHttp.includes(c);
            return Reply.json(Transformers.page(st.eggs.values().stream().filter(e -> e.nestId == nest)
                    .map(e -> tx.egg(e, inc)).toList(), PanelHttp.page(c), PanelHttp.perPage(c, 50, 500), http.url(c)));
        }));
        http.panel("GET", P + "/nests/{nest}/eggs/{egg}", c -> locked(() -> {
            SimState.Egg e = st.eggs.get(c.pInt("egg"));
            if (e == null || e.nestId != c.pInt("nest")) throw PanelException.notFound();
            return Reply.json(tx.egg(e, PanelHttp.includes(c)));
        }));
    }

    private interface Body {
        Reply run() throws Exception;
    }

    private Reply locked(Body b) throws Exception {
        synchronized (st) {
            return b.run();
        }
    }

    private SimState.User user(int id) {
        SimState.User u = st.users.get(id);
        if (u == null) throw PanelException.notFound();
        return u;
    }

    private SimState.Node node(int id) {
        SimState.Node n = st.nodes.get(id);
        if (n == null) throw PanelException.notFound();
        return n;
    }

    private SimState.Server server(PanelHttp.Ctx c) {
        SimState.Server s = st.servers.get(c.pInt("id"));
        if (s == null) throw PanelException.notFound();
        return s;
    }

    private void requireWings(SimState.Server s) {
        if (engine.faults.isNodeDead(s.nodeId)) throw PanelException.daemonUnreachable();
    }

    private void remove(SimState.Server s) {
        engine.remove(s);
    }

    // ---------------------------------------------------------------- users

    private Reply listUsers(PanelHttp.Ctx c) {
        synchronized (st) {
            List<SimState.User> list = new ArrayList<>(st.users.values());
            list = filter(c, list, "email", u -> u.email);
            list = filter(c, list, "uuid", u -> u.uuid);
            list = filter(c, list, "username", u -> u.username);
            list = filter(c, list, "external_id", u -> u.externalId);
            sort(c, list, u -> u.id, u -> u.uuid);
            return Reply.json(Transformers.page(list.stream().map(tx::user).toList(), PanelHttp.page(c),
                    PanelHttp.perPage(c, 50, 500), http.url(c)));
        }
    }

    /** spatie/laravel-query-builder partial filter: case-insensitive "contains", comma = any of. */
    private static <T> List<T> filter(PanelHttp.Ctx c, List<T> in, String name, Function<T, String> f) {
        String v = c.q("filter[" + name + "]");
        if (v == null || v.isEmpty()) return in;
        List<String> needles = List.of(v.toLowerCase(Locale.ROOT).split(","));
        List<T> out = new ArrayList<>();
        for (T t : in) {
            String x = f.apply(t);
            if (x == null) continue;
            String lx = x.toLowerCase(Locale.ROOT);
            if (needles.stream().anyMatch(lx::contains)) out.add(t);
        }
        return out;
    }

    private static <T> void sort(PanelHttp.Ctx c, List<T> list, Function<T, Integer> id, Function<T, String> uuid) {
        String s = c.q("sort");
        if (s == null) return;
        boolean desc = s.startsWith("-");
        String key = desc ? s.substring(1) : s;
        Comparator<T> cmp = key.equals("uuid") ? Comparator.comparing(uuid) : Comparator.comparing(id);
        list.sort(desc ? cmp.reversed() : cmp);
    }

    private Reply createUser(PanelHttp.Ctx c) {
        ObjectNode b = PanelHttp.bodyObject(c);
        synchronized (st) {
            List<Violation> v = new ArrayList<>();
            check(v, b, "external_id", "sometimes|nullable|string|max:191");
            check(v, b, "email", "required|email|max:191");
            check(v, b, "username", "required|between:1,191");
            check(v, b, "first_name", "required|string|between:1,191");
            check(v, b, "last_name", "required|string|between:1,191");
            check(v, b, "password", "sometimes|nullable|string");
            check(v, b, "language", "sometimes|string");
            check(v, b, "root_admin", "sometimes|boolean");
            String ext = text(b, "external_id");
            String email = text(b, "email");
            String username = text(b, "username");
            if (ext != null && st.users.values().stream().anyMatch(u -> ext.equals(u.externalId)) && noViolation(v, "external_id"))
                v.add(new Violation("external_id", "unique", "The external id has already been taken."));
            if (email != null && st.users.values().stream().anyMatch(u -> email.equalsIgnoreCase(u.email)) && noViolation(v, "email"))
                v.add(new Violation("email", "unique", "The email has already been taken."));
            if (username != null && st.users.values().stream().anyMatch(u -> username.equalsIgnoreCase(u.username)) && noViolation(v, "username"))
                v.add(new Violation("username", "unique", "The username has already been taken."));
            if (!v.isEmpty()) throw PanelException.validation(v);
            SimState.User u = new SimState.User();
            u.id = st.nextUserId++;
            u.externalId = ext;
            u.email = email;
            u.username = username;
            u.firstName = text(b, "first_name");
            u.lastName = text(b, "last_name");
            if (text(b, "language") != null) u.language = text(b, "language");
            u.rootAdmin = b.path("root_admin").asBoolean(false);
            st.users.put(u.id, u);
            ObjectNode out = tx.user(u);
            out.putObject("meta").put("resource", engine.publicUrl() + P + "/users/" + u.id);
            return Reply.json(201, out);
        }
    }

    // ---------------------------------------------------------------- servers

    private Reply listServers(PanelHttp.Ctx c) {
        synchronized (st) {
            List<SimState.Server> list = new ArrayList<>(st.servers.values());
            list = filter(c, list, "uuid", s -> s.uuid);
            list = filter(c, list, "uuidShort", s -> s.identifier);
            list = filter(c, list, "name", s -> s.name);
            list = filter(c, list, "description", s -> s.description);
            list = filter(c, list, "image", s -> s.image);
            list = filter(c, list, "external_id", s -> s.externalId);
            sort(c, list, s -> s.id, s -> s.uuid);
            Set<String> inc = PanelHttp.includes(c);
            return Reply.json(Transformers.page(list.stream().map(s -> tx.server(s, inc)).toList(), PanelHttp.page(c),
                    PanelHttp.perPage(c, 50, 500), http.url(c)));
        }
    }

    private Reply createServer(PanelHttp.Ctx c) {
        ObjectNode b = PanelHttp.bodyObject(c);
        synchronized (st) {
            List<Violation> v = new ArrayList<>();
            check(v, b, "external_id", "sometimes|nullable|string|between:1,191");
            check(v, b, "name", "required|string|between:1,191");
            check(v, b, "description", "sometimes|nullable|string");
            check(v, b, "user", "required|integer");
            check(v, b, "egg", "required|integer");
            check(v, b, "docker_image", "sometimes|string|max:191");
            check(v, b, "startup", "sometimes|string");
            check(v, b, "environment", "present|array");
            check(v, b, "skip_scripts", "sometimes|boolean");
            check(v, b, "oom_disabled", "sometimes|boolean");
            check(v, b, "start_on_completion", "sometimes|boolean");
            check(v, b, "limits", "required|array");
            check(v, b, "limits.memory", "required|numeric|min:0");
            check(v, b, "limits.swap", "required|numeric|min:-1");
            check(v, b, "limits.disk", "required|numeric|min:0");
            check(v, b, "limits.io", "required|numeric|between:10,1000");
            check(v, b, "limits.cpu", "required|numeric|min:0");
            check(v, b, "limits.threads", "sometimes|nullable|string|regex:/^[0-9-,]+$/");
            check(v, b, "feature_limits", "required|array");
            check(v, b, "feature_limits.databases", "present|nullable|integer|min:0");
            check(v, b, "feature_limits.allocations", "present|nullable|integer|min:0");
            check(v, b, "feature_limits.backups", "present|nullable|integer|min:0");

            String ext = text(b, "external_id");
            if (ext != null && noViolation(v, "external_id") && st.servers.values().stream().anyMatch(s -> ext.equals(s.externalId))) {
                v.add(new Violation("external_id", "unique", "The external id has already been taken."));
            }
            if (noViolation(v, "user") && b.hasNonNull("user") && !st.users.containsKey(b.get("user").asInt())) {
                v.add(new Violation("user", "exists", "The selected user is invalid."));
            }
            SimState.Egg egg = null;
            if (noViolation(v, "egg") && b.hasNonNull("egg")) {
                egg = st.eggs.get(b.get("egg").asInt());
                if (egg == null) v.add(new Violation("egg", "exists", "The selected egg is invalid."));
            }

            // placement fields
            JsonNode allocDefault = at(b, "allocation.default");
            JsonNode deploy = b.get("deploy");
            boolean hasAlloc = allocDefault != null && !allocDefault.isNull() && !allocDefault.isMissingNode();
            boolean hasDeploy = deploy != null && !deploy.isNull();
            SimState.Allocation chosenDefault = null;
            List<SimState.Allocation> additional = new ArrayList<>();
            if (!hasAlloc && !hasDeploy) {
                v.add(new Violation("allocation.default", "required_without", "The allocation.default field is required when deploy is not present."));
                v.add(new Violation("deploy", "required_without", "The deploy field is required when allocation.default is not present."));
            }
            if (hasAlloc) {
                if (!Rules.isInteger(allocDefault)) {
                    v.add(new Violation("allocation.default", "integer", "The allocation.default must be an integer."));
                } else {
                    chosenDefault = st.allocations.get(allocDefault.asInt());
                    if (chosenDefault == null || chosenDefault.serverId != null) {
                        v.add(new Violation("allocation.default", "exists", "The selected allocation.default is invalid."));
                        chosenDefault = null;
                    }
                }
                JsonNode add = at(b, "allocation.additional");
                if (add != null && add.isArray()) {
                    for (int i = 0; i < add.size(); i++) {
                        SimState.Allocation a = Rules.isInteger(add.get(i)) ? st.allocations.get(add.get(i).asInt()) : null;
                        if (a == null || a.serverId != null || (chosenDefault != null && a.nodeId != chosenDefault.nodeId)) {
                            v.add(new Violation("allocation.additional." + i, "exists", "The selected allocation.additional." + i + " is invalid."));
                        } else {
                            additional.add(a);
                        }
                    }
                }
            } else if (hasDeploy) {
                check(v, b, "deploy", "array");
                check(v, b, "deploy.dedicated_ip", "required|boolean");
                check(v, b, "deploy.locations", "sometimes|array");
                check(v, b, "deploy.port_range", "sometimes|array");
            }
            if (egg != null) validateEnvironment(v, egg, b.get("environment"), null);
            if (!v.isEmpty()) throw PanelException.validation(v);

            int memory = b.at("/limits/memory").asInt();
            int disk = b.at("/limits/disk").asInt();
            if (chosenDefault == null) {
                chosenDefault = deploy(deploy, memory, disk);
            }
            if (engine.faults.isNodeDead(chosenDefault.nodeId)) {
                // the panel rolls the row back when Wings cannot be reached
                throw PanelException.daemonUnreachable();
            }

            SimState.Server s = new SimState.Server();
            s.id = st.nextServerId++;
            s.uuid = UUID.randomUUID().toString();
            s.identifier = s.uuid.substring(0, 8);
            s.externalId = ext;
            s.name = text(b, "name");
            s.description = text(b, "description") == null ? "" : text(b, "description");
            applyLimits(s, b.get("limits"));
            s.oomDisabled = b.path("oom_disabled").asBoolean(true);
            applyFeatureLimits(s, b.get("feature_limits"));
            s.userId = b.get("user").asInt();
            s.nodeId = chosenDefault.nodeId;
            s.allocationId = chosenDefault.id;
            chosenDefault.serverId = s.id;
            for (SimState.Allocation a : additional) {
                a.serverId = s.id;
                s.additional.add(a.id);
            }
            s.eggId = egg.id;
            s.nestId = egg.nestId;
            s.startup = text(b, "startup") == null ? egg.startup : text(b, "startup");
            s.image = text(b, "docker_image") == null ? egg.dockerImage : text(b, "docker_image");
            applyEnvironment(s, egg, b.get("environment"));
            s.startOnCompletion = b.path("start_on_completion").asBoolean(false);
            PanelEngine.seedFiles(s, egg);
            st.servers.put(s.id, s);
            engine.startInstall(s, false);
            Reply r = Reply.json(201, tx.server(s, Set.of()));
            Duration slow = engine.faults.slowCreateDelay();
            r.delay = slow;
            return r;
        }
    }

    /** FindViableNodesService + AllocationSelectionService. */
    private SimState.Allocation deploy(JsonNode deploy, int memory, int disk) {
        List<Integer> locations = new ArrayList<>();
        if (deploy.path("locations").isArray()) deploy.get("locations").forEach(x -> locations.add(x.asInt()));
        List<SimState.Node> viable = viableNodes(locations, memory, disk);
        if (viable.isEmpty()) {
            throw PanelException.of(400, "NoViableNodeException",
                    "No nodes satisfying the requirements specified for automatic deployment could be found.");
        }
        List<String> ranges = new ArrayList<>();
        if (deploy.path("port_range").isArray()) deploy.get("port_range").forEach(x -> ranges.add(x.asText()));
        boolean dedicated = deploy.path("dedicated_ip").asBoolean(false);
        List<SimState.Allocation> candidates = new ArrayList<>();
        for (SimState.Allocation a : st.allocations.values()) {
            if (a.serverId != null) continue;
            if (viable.stream().noneMatch(n -> n.id == a.nodeId)) continue;
            if (!ranges.isEmpty() && !inRanges(a.port, ranges)) continue;
            if (dedicated && st.allocations.values().stream().anyMatch(o -> o.ip.equals(a.ip) && o.nodeId == a.nodeId && o.serverId != null)) continue;
            candidates.add(a);
        }
        if (candidates.isEmpty()) {
            throw PanelException.of(400, "NoViableAllocationException",
                    "No allocations satisfying the requirements for automatic deployment were found.");
        }
        return candidates.get(engine.faults.randomInt(candidates.size()));
    }

    private static boolean inRanges(int port, List<String> ranges) {
        for (String r : ranges) {
            try {
                if (r.contains("-")) {
                    String[] p = r.split("-");
                    if (port >= Integer.parseInt(p[0].trim()) && port <= Integer.parseInt(p[1].trim())) return true;
                } else if (port == Integer.parseInt(r.trim())) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // the panel throws on bad ranges; here they just match nothing
            }
        }
        return false;
    }

    private List<SimState.Node> viableNodes(List<Integer> locations, int memory, int disk) {
        List<SimState.Node> out = new ArrayList<>();
        for (SimState.Node n : st.nodes.values()) {
            if (!n.isPublic) continue;
            if (!locations.isEmpty() && !locations.contains(n.locationId)) continue;
            double memCap = n.memory * (1 + n.memoryOverallocate / 100.0);
            double diskCap = n.disk * (1 + n.diskOverallocate / 100.0);
            if (n.memoryOverallocate >= 0 && tx.allocatedMemory(n.id) + memory > memCap) continue;
            if (n.diskOverallocate >= 0 && tx.allocatedDisk(n.id) + disk > diskCap) continue;
            out.add(n);
        }
        return out;
    }

    private void validateEnvironment(List<Violation> v, SimState.Egg egg, JsonNode env, java.util.Map<String, String> current) {
        for (SimState.EggVar var : egg.variables) {
            JsonNode value = env == null || !env.isObject() ? MissingNode.getInstance() : env.path(var.env);
            if (value.isMissingNode() && current != null && current.containsKey(var.env)) {
                value = Json.MAPPER.getNodeFactory().textNode(current.get(var.env));
            }
            Violation x = Rules.check("environment." + var.env, var.name + " variable", value, var.rules);
            if (x != null) v.add(x);
        }
    }

    private static void applyEnvironment(SimState.Server s, SimState.Egg egg, JsonNode env) {
        for (SimState.EggVar var : egg.variables) {
            JsonNode value = env == null ? null : env.get(var.env);
            if (value != null && !value.isNull()) s.env.put(var.env, value.isTextual() ? value.asText() : value.toString());
            else if (!s.env.containsKey(var.env)) s.env.put(var.env, var.defaultValue);
        }
        s.env.keySet().removeIf(k -> egg.variables.stream().noneMatch(var -> var.env.equals(k)));
    }

    static void applyLimits(SimState.Server s, JsonNode l) {
        if (l == null || !l.isObject()) return;
        if (l.hasNonNull("memory")) s.memory = (int) Rules.num(l.get("memory"));
        if (l.hasNonNull("swap")) s.swap = (int) Rules.num(l.get("swap"));
        if (l.hasNonNull("disk")) s.disk = (int) Rules.num(l.get("disk"));
        if (l.hasNonNull("io")) s.io = (int) Rules.num(l.get("io"));
        if (l.hasNonNull("cpu")) s.cpu = (int) Rules.num(l.get("cpu"));
        if (l.has("threads")) s.threads = l.get("threads").isNull() ? null : l.get("threads").asText();
        if (l.has("oom_disabled")) s.oomDisabled = l.get("oom_disabled").asBoolean();
    }

    static void applyFeatureLimits(SimState.Server s, JsonNode f) {
        if (f == null || !f.isObject()) return;
        if (f.has("databases")) s.databases = f.get("databases").isNull() ? null : f.get("databases").asInt();
        if (f.has("allocations")) s.allocationsLimit = f.get("allocations").isNull() ? null : f.get("allocations").asInt();
        if (f.has("backups")) s.backups = f.get("backups").isNull() ? null : f.get("backups").asInt();
    }

    private Reply updateBuild(PanelHttp.Ctx c) {
        ObjectNode b = PanelHttp.bodyObject(c);
        synchronized (st) {
            SimState.Server s = server(c);
            List<Violation> v = new ArrayList<>();
            check(v, b, "allocation", "required|integer");
            check(v, b, "oom_disabled", "sometimes|boolean");
            check(v, b, "feature_limits", "required|array");
            check(v, b, "feature_limits.databases", "present|nullable|integer|min:0");
            check(v, b, "feature_limits.allocations", "present|nullable|integer|min:0");
            check(v, b, "feature_limits.backups", "present|nullable|integer|min:0");
            if (b.has("limits")) {
                check(v, b, "limits.memory", "sometimes|numeric|min:0");
                check(v, b, "limits.swap", "sometimes|numeric|min:-1");
                check(v, b, "limits.disk", "sometimes|numeric|min:0");
                check(v, b, "limits.io", "sometimes|numeric|between:10,1000");
                check(v, b, "limits.cpu", "sometimes|numeric|min:0");
                check(v, b, "limits.threads", "sometimes|nullable|string|regex:/^[0-9-,]+$/");
            }
            if (!v.isEmpty()) throw PanelException.validation(v);
            requireWings(s);
            // add/remove allocations (only free ones on the same node are taken, like the panel)
            List<Integer> add = new ArrayList<>();
            b.path("add_allocations").forEach(x -> add.add(x.asInt()));
            List<Integer> rem = new ArrayList<>();
            b.path("remove_allocations").forEach(x -> rem.add(x.asInt()));
            int newDefault = b.get("allocation").asInt();
            for (Integer id : add) {
                SimState.Allocation a = st.allocations.get(id);
                if (a != null && a.serverId == null && a.nodeId == s.nodeId) {
                    a.serverId = s.id;
                    s.additional.add(a.id);
                }
            }
            for (Integer id : rem) {
                if (id == newDefault) {
                    throw PanelException.of(400, "DisplayException",
                            "You are attempting to delete the default allocation for this server but there is no fallback allocation to use.");
                }
                SimState.Allocation a = st.allocations.get(id);
                if (a != null && s.id == (a.serverId == null ? -1 : a.serverId)) {
                    if (a.id == s.allocationId) continue;
                    a.serverId = null;
                    s.additional.remove(Integer.valueOf(a.id));
                }
            }
            SimState.Allocation def = st.allocations.get(newDefault);
            if (def == null || def.serverId == null || def.serverId != s.id) {
                throw PanelException.of(400, "DisplayException", "The requested default allocation is not currently assigned to this server.");
            }
            if (def.id != s.allocationId) {
                s.additional.remove(Integer.valueOf(def.id));
                s.additional.add(s.allocationId);
                s.allocationId = def.id;
            }
            JsonNode limits = b.has("limits") ? b.get("limits") : b; // legacy top-level memory/swap/...
            applyLimits(s, limits);
            if (b.has("oom_disabled")) s.oomDisabled = b.get("oom_disabled").asBoolean();
            applyFeatureLimits(s, b.get("feature_limits"));
            s.updated = Instant.now();
            return Reply.json(tx.server(s, PanelHttp.includes(c)));
        }
    }

    private Reply updateStartup(PanelHttp.Ctx c) {
        ObjectNode b = PanelHttp.bodyObject(c);
        synchronized (st) {
            SimState.Server s = server(c);
            List<Violation> v = new ArrayList<>();
            check(v, b, "startup", "sometimes|string");
            check(v, b, "environment", "present|array");
            check(v, b, "egg", "sometimes|integer");
            check(v, b, "image", "sometimes|string|max:191");
            check(v, b, "skip_scripts", "present|boolean");
            SimState.Egg egg = st.eggs.get(s.eggId);
            if (b.hasNonNull("egg") && noViolation(v, "egg")) {
                egg = st.eggs.get(b.get("egg").asInt());
                if (egg == null) v.add(new Violation("egg", "exists", "The selected egg is invalid."));
            }
            if (egg != null) validateEnvironment(v, egg, b.get("environment"), egg.id == s.eggId ? s.env : null);
            if (!v.isEmpty()) throw PanelException.validation(v);
            if (egg.id != s.eggId) {
                s.eggId = egg.id;
                s.nestId = egg.nestId;
                s.env.clear();
            }
            if (text(b, "startup") != null) s.startup = text(b, "startup");
            if (text(b, "image") != null) s.image = text(b, "image");
            applyEnvironment(s, egg, b.get("environment"));
            s.updated = Instant.now();
            return Reply.json(tx.server(s, PanelHttp.includes(c)));
        }
    }

    private Reply updateDetails(PanelHttp.Ctx c) {
        ObjectNode b = PanelHttp.bodyObject(c);
        synchronized (st) {
            SimState.Server s = server(c);
            List<Violation> v = new ArrayList<>();
            check(v, b, "external_id", "sometimes|nullable|string|between:1,191");
            check(v, b, "name", "required|string|between:1,191");
            check(v, b, "user", "required|integer");
            check(v, b, "description", "sometimes|nullable|string");
            String ext = text(b, "external_id");
            if (ext != null && noViolation(v, "external_id")
                    && st.servers.values().stream().anyMatch(o -> o.id != s.id && ext.equals(o.externalId))) {
                v.add(new Violation("external_id", "unique", "The external id has already been taken."));
            }
            if (noViolation(v, "user") && b.hasNonNull("user") && !st.users.containsKey(b.get("user").asInt())) {
                v.add(new Violation("user", "exists", "The selected user is invalid."));
            }
            if (!v.isEmpty()) throw PanelException.validation(v);
            s.name = text(b, "name");
            s.userId = b.get("user").asInt();
            if (b.has("external_id")) s.externalId = ext;
            if (b.has("description")) s.description = text(b, "description") == null ? "" : text(b, "description");
            s.updated = Instant.now();
            return Reply.json(tx.server(s, PanelHttp.includes(c)));
        }
    }

    // ---------------------------------------------------------------- nodes

    private Reply deployableNodes(PanelHttp.Ctx c) {
        List<Violation> v = new ArrayList<>();
        ObjectNode q = Json.object();
        if (c.q("memory") != null) q.put("memory", c.q("memory"));
        if (c.q("disk") != null) q.put("disk", c.q("disk"));
        check(v, q, "memory", "required|integer|min:0");
        check(v, q, "disk", "required|integer|min:0");
        if (!v.isEmpty()) throw PanelException.validation(v);
        List<Integer> locations = new ArrayList<>();
        for (String s : c.qs("location_ids[]")) locations.add(Integer.parseInt(s));
        for (String s : c.qs("location_ids")) for (String x : s.split(",")) locations.add(Integer.parseInt(x.trim()));
        synchronized (st) {
            List<SimState.Node> nodes = viableNodes(locations, Integer.parseInt(c.q("memory")), Integer.parseInt(c.q("disk")));
            return Reply.json(Transformers.page(nodes.stream().map(tx::node).toList(), PanelHttp.page(c),
                    PanelHttp.perPage(c, 50, 500), http.url(c)));
        }
    }

    private Reply nodeAllocations(PanelHttp.Ctx c) {
        synchronized (st) {
            SimState.Node n = node(c.pInt("id"));
            List<SimState.Allocation> list = new ArrayList<>();
            String serverFilter = c.q("filter[server_id]");
            String ipFilter = c.q("filter[ip]");
            String portFilter = c.q("filter[port]");
            for (SimState.Allocation a : st.allocations.values()) {
                if (a.nodeId != n.id) continue;
                if (serverFilter != null && !serverFilter.isEmpty()) {
                    if (serverFilter.matches("\\d+")) {
                        if (a.serverId == null || a.serverId != Integer.parseInt(serverFilter)) continue;
                    } else if (a.serverId != null) {
                        continue;
                    }
                }
                if (ipFilter != null && !a.ip.contains(ipFilter)) continue;
                if (portFilter != null && !String.valueOf(a.port).contains(portFilter)) continue;
                list.add(a);
            }
            return Reply.json(Transformers.page(list.stream().map(tx::allocation).toList(), PanelHttp.page(c),
                    PanelHttp.perPage(c, 50, 500), http.url(c)));
        }
    }

    // ---------------------------------------------------------------- validation helpers

    static JsonNode at(JsonNode root, String dotted) {
        JsonNode cur = root;
        for (String part : dotted.split("\\.")) {
            if (cur == null || !cur.isObject()) return MissingNode.getInstance();
            cur = cur.get(part);
            if (cur == null) return MissingNode.getInstance();
        }
        return cur;
    }

    private static void check(List<Violation> v, JsonNode b, String field, String rules) {
        JsonNode value = at(b, field);
        if (rules.startsWith("sometimes") && value.isMissingNode()) return;
        // a parent that failed already reports the problem
        int dot = field.lastIndexOf('.');
        if (dot > 0 && !noViolation(v, field.substring(0, dot))) return;
        Violation x = Rules.check(field, Rules.attribute(field), value, rules);
        if (x != null) v.add(x);
    }

    private static boolean noViolation(List<Violation> v, String field) {
        return v.stream().noneMatch(x -> x.field().equals(field));
    }

    private static String text(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) return null;
        return n.asText();
    }
}
