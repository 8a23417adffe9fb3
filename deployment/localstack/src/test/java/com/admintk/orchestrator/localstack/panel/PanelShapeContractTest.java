package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * For each fixture the simulator can produce, the same call against the simulator answers with the same status
 * and the same recursive set of JSON key paths (values may differ).
 */
class PanelShapeContractTest {
    static PanelSimulator sim;
    static SimHttp http;
    static final Set<String> covered = new TreeSet<>();

    @BeforeAll
    static void start() {
        sim = new PanelSimulator(PanelSimulator.config().installTime(Duration.ofMillis(200))
                .statsInterval(Duration.ofMillis(200)).powerTransition(Duration.ofMillis(50)).build()).start();
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
        // every response/error fixture must have been compared (request bodies and ws frames are used elsewhere)
        Set<String> expected = Files.list(SimHttp.fixturesDir()).map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".json") && !n.contains("_request") && !n.startsWith("wings_"))
                .collect(Collectors.toCollection(TreeSet::new));
        expected.removeAll(covered);
        assertTrue(expected.isEmpty(), "fixtures without a shape check: " + expected);
    }

    @BeforeEach
    void reset() {
        sim.reset();
    }

    static void assertShape(String fixture, SimHttp.Res res) {
        JsonNode expected = SimHttp.fixture(fixture);
        int expectedStatus = expectedStatus(fixture);
        assertEquals(expectedStatus, res.status(), fixture + ": status; body " + res.body());
        TreeSet<String> want = SimHttp.keyPaths(expected);
        TreeSet<String> got = SimHttp.keyPaths(res.json());
        TreeSet<String> missing = new TreeSet<>(want);
        missing.removeAll(got);
        TreeSet<String> extra = new TreeSet<>(got);
        extra.removeAll(want);
        assertTrue(missing.isEmpty() && extra.isEmpty(), fixture + ": missing " + missing + ", extra " + extra);
        covered.add(fixture);
    }

    static int expectedStatus(String fixture) {
        if (fixture.startsWith("error_")) return Integer.parseInt(fixture.substring(6, 9));
        return Integer.parseInt(fixture.substring(fixture.length() - 8, fixture.length() - 5));
    }

    static ObjectNode createUserBody(String suffix) {
        ObjectNode u = SimHttp.fixtureObject("app_user_create_request.json");
        u.put("external_id", "cust_" + suffix);
        u.put("email", "steve" + suffix + "@example.com");
        u.put("username", "steve" + suffix);
        return u;
    }

    /** Creates a customer and a Paper server from app_server_create_request_allocation.json; returns the server JSON. */
    static JsonNode createPaperServer(String externalId, int allocation, Integer additional) {
        int user = http.app("POST", "/users", createUserBody(externalId)).json().at("/attributes/id").asInt();
        ObjectNode body = SimHttp.fixtureObject("app_server_create_request_allocation.json");
        body.put("external_id", externalId);
        body.put("user", user);
        ObjectNode alloc = body.putObject("allocation");
        alloc.put("default", allocation);
        if (additional != null) alloc.putArray("additional").add(additional);
        SimHttp.Res r = http.app("POST", "/servers", body);
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    static int installedPaperServer(String ext) throws InterruptedException {
        int id = createPaperServer(ext, 1000, 1001).at("/attributes/id").asInt();
        SimHttp.awaitInstalled(sim, id, Duration.ofSeconds(5));
        return id;
    }

    // ---------------------------------------------------------------- items, lists, relationships

    @Test
    void userCreateGetAndFilterHaveTheFixtureShapes() {
        SimHttp.Res created = http.app("POST", "/users", SimHttp.fixture("app_user_create_request.json"));
        assertShape("app_user_create_response_201.json", created);
        assertShape("app_user_get_by_external_id_200.json", http.app("GET", "/users/external/cust_8842", null));
        assertShape("app_user_list_filter_email_200.json", http.app("GET", "/users?filter[email]=steve@example.com", null));
    }

    @Test
    void serverCreateAnswersLikeTheFixture() {
        SimHttp.Res r;
        int user = http.app("POST", "/users", createUserBody("a")).json().at("/attributes/id").asInt();
        ObjectNode body = SimHttp.fixtureObject("app_server_create_request_allocation.json");
        body.put("user", user);
        body.putObject("allocation").put("default", 1000).putArray("additional").add(1001);
        r = http.app("POST", "/servers", body);
        assertShape("app_server_create_response_201.json", r);
        assertEquals("installing", r.json().at("/attributes/status").asText());
    }

    @Test
    void deployCreateWithTheRustFixtureBodyWorks() {
        ObjectNode body = SimHttp.fixtureObject("app_server_create_request_deploy.json");
        body.put("user", 1);
        SimHttp.Res r = http.app("POST", "/servers", body);
        assertEquals(201, r.status(), r.body());
        assertEquals(SimHttp.keyPaths(SimHttp.fixture("app_server_create_response_201.json")).stream()
                        .filter(p -> !p.contains("environment.")).toList(),
                SimHttp.keyPaths(r.json()).stream().filter(p -> !p.contains("environment.")).toList());
        int port = sim.state().servers().get(0).allocation();
        assertTrue(port >= 1000, "allocation assigned");
    }

    @Test
    void installedSuspendedAndListShapes() throws Exception {
        int id = installedPaperServer("order-1");
        assertShape("app_server_get_installed_200.json", http.app("GET", "/servers/" + id, null));
        assertShape("app_server_get_by_external_id_200.json", http.app("GET", "/servers/external/order-1", null));
        assertShape("app_server_list_filter_external_id_200.json", http.app("GET", "/servers?filter[external_id]=order-1", null));
        assertEquals(204, http.app("POST", "/servers/" + id + "/suspend", null).status());
        SimHttp.Res suspended = http.app("GET", "/servers/" + id, null);
        assertShape("app_server_get_suspended_200.json", suspended);
        assertEquals("suspended", suspended.json().at("/attributes/status").asText());
    }

    @Test
    void installFailedShape() throws Exception {
        sim.faults().failNextInstalls(1);
        int id = createPaperServer("order-f", 1000, null).at("/attributes/id").asInt();
        assertEquals("install_failed", SimHttp.awaitInstalled(sim, id, Duration.ofSeconds(5)));
        assertShape("app_server_get_install_failed_200.json", http.app("GET", "/servers/" + id, null));
    }

    @Test
    void nodeLocationAllocationAndEggShapes() {
        assertShape("app_node_get_200.json", http.app("GET", "/nodes/2", null));
        assertShape("app_location_list_200.json", http.app("GET", "/locations?per_page=10", null));
        assertShape("app_node_allocations_unassigned_200.json", http.app("GET", "/nodes/1/allocations?filter[server_id]=none&per_page=500", null));
        assertShape("app_egg_get_include_variables_200.json", http.app("GET", "/nests/1/eggs/3?include=variables", null));
    }

    @Test
    void serverIncludesRenderUnderRelationships() throws Exception {
        int id = installedPaperServer("order-inc");
        JsonNode s = http.app("GET", "/servers/" + id + "?include=allocations,user,egg,nest,location,node,variables", null).json();
        JsonNode rel = s.at("/attributes/relationships");
        assertEquals("list", rel.at("/allocations/object").asText());
        assertEquals(2, rel.at("/allocations/data").size());
        assertEquals("user", rel.at("/user/object").asText());
        assertEquals("egg", rel.at("/egg/object").asText());
        assertEquals("location", rel.at("/location/object").asText());
        assertEquals("node", rel.at("/node/object").asText());
    }

    @Test
    void updateRequestFixturesAreAccepted() throws Exception {
        int id = installedPaperServer("order-upd");
        ObjectNode build = SimHttp.fixtureObject("app_server_build_update_request.json");
        build.put("allocation", 1000);
        build.putArray("add_allocations").add(1002);
        SimHttp.Res b = http.app("PATCH", "/servers/" + id + "/build", build);
        assertEquals(200, b.status(), b.body());
        assertEquals(6144, b.json().at("/attributes/limits/memory").asInt());
        SimHttp.Res st = http.app("PATCH", "/servers/" + id + "/startup", SimHttp.fixture("app_server_startup_update_request.json"));
        assertEquals(200, st.status(), st.body());
        assertEquals("1.21.1", st.json().at("/attributes/container/environment/MINECRAFT_VERSION").asText());
        ObjectNode details = SimHttp.fixtureObject("app_server_details_update_request.json");
        details.put("user", 1);
        details.put("external_id", "order-upd");
        SimHttp.Res d = http.app("PATCH", "/servers/" + id + "/details", details);
        assertEquals(200, d.status(), d.body());
        assertEquals("Renamed by admin", d.json().at("/attributes/description").asText());
    }

    // ---------------------------------------------------------------- client API

    @Test
    void clientShapes() throws Exception {
        int id = installedPaperServer("order-c");
        String ident = sim.state().server(id).orElseThrow().identifier();
        assertShape("client_server_list_200.json", http.client("GET", "?type=admin-all", null));
        assertShape("client_websocket_200.json", http.client("GET", "/servers/" + ident + "/websocket", null));
        assertEquals(204, http.client("POST", "/servers/" + ident + "/power", SimHttp.fixture("client_power_request.json")).status());
        Thread.sleep(300);
        assertShape("client_resources_200.json", http.client("GET", "/servers/" + ident + "/resources", null));
        assertEquals("running", http.client("GET", "/servers/" + ident + "/resources", null).json().at("/attributes/current_state").asText());
        assertEquals(204, http.client("POST", "/servers/" + ident + "/command", SimHttp.fixture("client_command_request.json")).status());
        assertShape("client_files_list_200.json", http.client("GET", "/servers/" + ident + "/files/list?directory=/", null));
        assertShape("client_files_upload_url_200.json", http.client("GET", "/servers/" + ident + "/files/upload", null));
        assertShape("client_files_download_url_200.json", http.client("GET", "/servers/" + ident + "/files/download?file=/server.properties", null));
        // request bodies of the file fixtures are accepted
        http.client("POST", "/servers/" + ident + "/files/write?file=/plugins/OldPlugin.jar", "jar");
        http.client("POST", "/servers/" + ident + "/files/create-folder", Map.of("root", "/", "name", "world"));
        assertEquals(204, http.client("POST", "/servers/" + ident + "/files/delete", SimHttp.fixture("client_files_delete_request.json")).status());
        assertEquals(204, http.client("PUT", "/servers/" + ident + "/files/rename", SimHttp.fixture("client_files_rename_request.json")).status());
        JsonNode names = http.client("GET", "/servers/" + ident + "/files/list?directory=/", null).json().get("data");
        List<String> list = names.findValuesAsText("name");
        assertTrue(list.contains("world_backup") && !list.contains("world"), list.toString());
        assertTrue(http.client("GET", "/servers/" + ident + "/files/list?directory=/plugins", null).json().get("data").isEmpty());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void error400NoViableNodeAndAllocation() {
        ObjectNode body = SimHttp.fixtureObject("app_server_create_request_deploy.json");
        body.put("user", 1);
        body.with("limits").put("memory", 10_000_000);
        assertShape("error_400_no_viable_node.json", http.app("POST", "/servers", body));
        body.with("limits").put("memory", 1024);
        body.with("deploy").putArray("port_range").add("1-2");
        body.put("external_id", "other");
        assertShape("error_400_no_viable_allocation.json", http.app("POST", "/servers", body));
        assertTrue(sim.state().servers().isEmpty());
    }

    @Test
    void error403And404() {
        assertShape("error_403_access_denied.json", http.call("GET", "/api/application/servers", sim.configuration().clientKey(), null));
        assertShape("error_404_not_found.json", http.app("GET", "/servers/424242", null));
        assertEquals(401, http.call("GET", "/api/application/servers", null, null).status());
        assertEquals(401, http.call("GET", "/api/application/servers", "ptla_wrong", null).status());
        assertEquals(403, http.call("GET", "/api/client", sim.configuration().applicationKey(), null).status());
    }

    @Test
    void error409InstallingAndSuspended() throws Exception {
        sim.settings().installTime(Duration.ofSeconds(30));
        try {
            JsonNode s = createPaperServer("order-409", 1000, null);
            String ident = s.at("/attributes/identifier").asText();
            assertShape("error_409_server_state_conflict.json",
                    http.client("POST", "/servers/" + ident + "/power", Map.of("signal", "start")));
            assertEquals(204, http.app("POST", "/servers/" + s.at("/attributes/id").asInt() + "/suspend", null).status());
            assertShape("error_409_suspended.json", http.client("POST", "/servers/" + ident + "/power", Map.of("signal", "start")));
            assertEquals(200, http.client("GET", "/servers/" + ident + "/resources", null).status(), "resources work on suspended");
        } finally {
            sim.settings().installTime(Duration.ofMillis(200));
        }
    }

    @Test
    void error422ExternalIdEggVariableAndAllocationTaken() {
        createPaperServer("order-422", 1000, null);
        ObjectNode body = SimHttp.fixtureObject("app_server_create_request_allocation.json");
        body.put("user", 1);
        body.put("external_id", "order-422");
        body.putObject("allocation").put("default", 1005);
        assertShape("error_422_external_id_taken.json", http.app("POST", "/servers", body));
        body.put("external_id", "order-422-b");
        ObjectNode env = body.putObject("environment");
        env.put("MINECRAFT_VERSION", "latest");
        assertShape("error_422_egg_variable.json", http.app("POST", "/servers", body));
        body.putObject("environment").put("SERVER_JARFILE", "server.jar").put("BUILD_NUMBER", "latest");
        body.putObject("allocation").put("default", 1000);
        assertShape("error_422_allocation_taken.json", http.app("POST", "/servers", body));
        assertEquals(1, sim.state().servers().size());
    }

    @Test
    void error429502And504() throws Exception {
        int id = installedPaperServer("order-5xx");
        String ident = sim.state().server(id).orElseThrow().identifier();
        // the fixture body starts the server on completion: kill it first
        assertEquals(204, http.client("POST", "/servers/" + ident + "/power", Map.of("signal", "kill")).status());
        assertShape("error_502_command_server_offline.json",
                http.client("POST", "/servers/" + ident + "/command", Map.of("command", "say hi")));
        sim.faults().killNode(1);
        assertShape("error_504_daemon_unreachable.json", http.app("DELETE", "/servers/" + id, null));
        sim.faults().clear();
        sim.settings().rateLimits(3, 720);
        try {
            SimHttp.Res last = null;
            for (int i = 0; i < 4; i++) last = http.app("GET", "/locations", null);
            assertShape("error_429_rate_limited.json", last);
        } finally {
            sim.settings().rateLimits(240, 720);
        }
    }
}
