package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 1, the other half of {@link PanelContractTest}: the client's typed calls against the real simulator
 * parse into populated records. Client and simulator agree on paths, envelopes, pagination, relationships and error
 * bodies, not only with the fixtures separately.
 */
class PanelClientAgreesWithSimulatorTest {

    private static PanelSimulator sim;
    private static PanelClient panel;

    @BeforeAll
    static void start() {
        sim = PanelSim.start(Duration.ofMillis(150));
        panel = PanelSim.client(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void users() {
        Panel.User created = panel.createUser(new Panel.NewUser("cust-1", "alice@example.test", "alice", "Alice",
                "Liddell", null, null, null));
        assertTrue(created.id() > 1);
        assertEquals("cust-1", created.externalId());
        assertEquals("alice@example.test", created.email());
        assertEquals("alice", created.username());
        assertEquals("Alice", created.firstName());
        assertEquals("Liddell", created.lastName());
        assertNotNull(created.uuid());
        assertNotNull(created.language());
        assertNotNull(created.createdAt());

        Panel.User byExternal = panel.findUserByExternalId("cust-1").orElseThrow();
        assertEquals(created, byExternal);
        assertEquals(Optional.empty(), panel.findUserByExternalId("nobody"));
        List<Panel.User> byEmail = panel.findUsersByEmail("alice@example.test");
        assertEquals(List.of(created.id()), byEmail.stream().map(Panel.User::id).toList());
        assertTrue(panel.findUsersByEmail("admin@admin-tk.local").get(0).rootAdmin());

        PanelException repeat = assertThrows(PanelException.class, () -> panel.createUser(new Panel.NewUser(
                "cust-1", "alice2@example.test", "alice2", "A", "L", null, null, null)));
        assertInstanceOf(PanelException.AlreadyExists.class, repeat, repeat.getMessage());
    }

    @Test
    void nodesAllocationsLocationsAndEggs() {
        List<Panel.Location> locations = panel.listLocations();
        assertEquals(Set.of("eu-fra", "us-nyc"),
                locations.stream().map(Panel.Location::shortCode).collect(Collectors.toSet()));
        assertTrue(locations.stream().allMatch(l -> l.id() > 0 && l.longName() != null));

        List<Panel.Node> nodes = panel.listNodes();
        assertEquals(2, nodes.size());
        Panel.Node node = panel.getNode(1);
        assertEquals("fra-node-01", node.name());
        assertEquals(1, node.locationId());
        assertEquals("fra01.nodes.local", node.fqdn());
        assertEquals(65536, node.memory());
        assertTrue(node.disk() > 0 && node.daemonListen() > 0 && node.uuid() != null && node.scheme() != null);
        assertNotNull(node.allocatedResources(), "node carries allocated_resources");

        List<Panel.Node> deployable = panel.deployableNodes(1024, 1024, List.of(2));
        assertEquals(List.of(2), deployable.stream().map(Panel.Node::id).toList());
        assertEquals(2, panel.deployableNodes(1024, 1024, null).size());
        assertTrue(panel.deployableNodes(10_000_000, 1024, null).isEmpty());

        // 100 allocations per node (the panel pages them; the client asks for per_page=100 and follows the pages)
        List<Panel.Allocation> allocations = panel.listAllocations(1);
        assertEquals(100, allocations.size());
        assertEquals(100, allocations.stream().map(Panel.Allocation::id).distinct().count());
        Panel.Allocation a = allocations.get(0);
        assertEquals("10.0.0.1", a.ip());
        assertTrue(a.port() >= 25565 && a.assigned() != null && a.alias() != null, a.toString());
        assertTrue(panel.listUnassignedAllocations(2).stream().noneMatch(Panel.Allocation::assigned));

        Panel.Egg egg = panel.getEgg(1, 3);
        assertEquals("Paper", egg.name());
        assertEquals(1, egg.nest());
        assertEquals("ghcr.io/pterodactyl/yolks:java_21", egg.dockerImage());
        assertEquals("ghcr.io/pterodactyl/yolks:java_17", egg.dockerImages().get("Java 17"));
        assertNotNull(egg.startup());
        Map<String, Panel.EggVariable> vars = egg.variables().stream()
                .collect(Collectors.toMap(Panel.EggVariable::envVariable, v -> v));
        assertEquals(Set.of("MINECRAFT_VERSION", "SERVER_JARFILE", "DL_PATH", "BUILD_NUMBER"), vars.keySet());
        assertTrue(vars.get("SERVER_JARFILE").required());
        assertFalse(vars.get("MINECRAFT_VERSION").required());
        assertEquals("server.jar", vars.get("SERVER_JARFILE").defaultValue());
        assertEquals(Boolean.FALSE, vars.get("DL_PATH").userViewable());
        assertEquals(Boolean.TRUE, vars.get("BUILD_NUMBER").userEditable());

        // the activity view of the same egg
        EggSpec spec = new PterodactylActivitiesImpl(panel).describeEgg(1, 3);
        assertEquals(4, spec.variables().size());
    }

    @Test
    void serversCreateGetByExternalIdListWithPaginationAndClientCalls() throws Exception {
        PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(panel);
        // 105 servers: more than one page of per_page=100
        int count = 105;
        for (int i = 0; i < count; i++) {
            int allocation = i < 60 ? 1000 + i : 2000 + (i - 60);
            activities.createServer("ct-" + i, PanelSim.paper("contract " + i, allocation));
        }
        Panel.Server created = panel.createServer(PterodactylActivitiesImpl.newServer("ct-deploy",
                PanelSim.paper("deployed", null)));
        assertEquals("ct-deploy", created.externalId());
        assertEquals("installing", created.status());
        assertTrue(created.installing());
        assertFalse(created.suspended());
        assertEquals(8, created.identifier().length());
        assertEquals(1024, created.limits().memory());
        assertNotNull(created.limits().oomDisabled());
        assertEquals(1, created.featureLimits().allocations());
        assertEquals(1, created.user());
        assertEquals(3, created.egg());
        assertEquals(1, created.nest());
        assertTrue(created.node() == 1 || created.node() == 2);
        assertTrue(created.allocation() > 0);
        assertEquals("server.jar", created.container().environment().get("SERVER_JARFILE"));
        assertEquals("ghcr.io/pterodactyl/yolks:java_21", created.container().image());
        assertNotNull(created.createdAt());

        List<Panel.Server> all = panel.listServers(Map.of());
        assertEquals(count + 1, all.size(), "the client follows pagination");
        assertEquals(count + 1, all.stream().map(Panel.Server::id).distinct().count());

        // filter[] is "contains": ct-1 also matches ct-10..ct-19, ct-100..; exact lookup is by /external/
        List<Panel.Server> filtered = panel.listServers(Map.of("external_id", "ct-1"));
        assertTrue(filtered.size() > 1, "simulator filters by contains, like the panel");
        assertTrue(filtered.stream().anyMatch(s -> s.externalId().equals("ct-1")));
        Panel.Server one = panel.findServerByExternalId("ct-1").orElseThrow();
        assertEquals("ct-1", one.externalId());
        assertEquals(Optional.empty(), panel.findServerByExternalId("ct-"));
        assertEquals("ct-1", activities.findServer("ct-1").externalId());
        assertNull(activities.findServer("ct-1000"));

        Panel.Server withIncludes = panel.getServer(one.id(), "allocations", "user", "variables", "location", "node",
                "egg");
        assertEquals(one.id(), withIncludes.id());
        Panel.ServerRelationships rel = withIncludes.relationships();
        assertNotNull(rel);
        assertEquals(1001, rel.allocations().get(0).id());
        assertEquals(1, rel.user().id());
        assertFalse(rel.variables().isEmpty());
        assertEquals(1, rel.location().id());
        assertEquals(1, rel.node().id());
        assertEquals(3, rel.egg().id());

        assertInstanceOf(PanelException.NotFound.class,
                assertThrows(PanelException.class, () -> panel.getServer(999_999)));

        // ---- client API, once the install finished
        String identifier = one.identifier();
        PanelSim.await("install of ct-1", Duration.ofSeconds(10), () -> panel.getServer(one.id()).status() == null);

        List<Panel.ClientServer> mine = panel.listClientServers("admin-all", Map.of());
        assertEquals(count + 1, mine.size(), "client list follows pagination too");
        Panel.ClientServer cs = mine.stream().filter(s -> s.identifier().equals(identifier)).findFirst()
                .orElseThrow();
        assertEquals(one.uuid(), cs.uuid());
        assertEquals(one.id(), cs.internalId());
        assertNotNull(cs.node());
        assertNotNull(cs.limits());
        assertNotNull(cs.relationships());
        assertFalse(cs.relationships().allocations().isEmpty());
        assertTrue(cs.relationships().allocations().get(0).isDefault());

        Panel.Resources resources = panel.resources(identifier);
        assertEquals("offline", resources.currentState());
        assertFalse(resources.isSuspended());
        assertNotNull(resources.resources());

        panel.power(identifier, Panel.PowerSignal.start);
        PanelSim.await("running", Duration.ofSeconds(5),
                () -> "running".equals(panel.resources(identifier).currentState()));
        Panel.Resources running = panel.resources(identifier);
        assertTrue(running.resources().memoryBytes() > 0, running.toString());
        panel.sendCommand(identifier, "say hi");

        Panel.WebsocketCredentials ws = panel.websocketCredentials(identifier);
        assertEquals(3, ws.token().split("\\.").length, "a JWT");
        assertTrue(ws.socket().startsWith("ws") && ws.socket().endsWith("/api/servers/" + one.uuid() + "/ws"),
                ws.socket());

        List<Panel.FileObject> root = panel.listFiles(identifier, "/");
        Set<String> names = root.stream().map(Panel.FileObject::name).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("logs", "plugins", "eula.txt", "server.properties")), names.toString());
        Panel.FileObject eula = root.stream().filter(f -> f.name().equals("eula.txt")).findFirst().orElseThrow();
        assertTrue(eula.isFile());
        assertTrue(eula.size() > 0);
        assertNotNull(eula.mode());
        assertNotNull(eula.mimetype());
        assertNotNull(eula.modifiedAt());

        panel.writeFile(identifier, "/eula.txt", "eula=true\n");
        assertEquals("eula=true\n", panel.fileContents(identifier, "/eula.txt"));
        panel.renameFiles(identifier, "/", List.of(new Panel.Rename("eula.txt", "eula.old")));
        assertTrue(panel.listFiles(identifier, "/").stream().anyMatch(f -> f.name().equals("eula.old")));
        panel.deleteFiles(identifier, "/", List.of("eula.old"));
        assertTrue(panel.listFiles(identifier, "/").stream().noneMatch(f -> f.name().startsWith("eula")));

        String upload = panel.uploadUrl(identifier);
        String download = panel.downloadUrl(identifier, "/server.properties");
        assertTrue(upload.startsWith("http"), upload);
        HttpResponse<String> fetched = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(download)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fetched.statusCode());
        assertEquals(panel.fileContents(identifier, "/server.properties"), fetched.body());

        // 409 on a suspended server (state conflict), resources still answer
        activities.suspendServer(one.id());
        assertTrue(panel.getServer(one.id()).suspended());
        assertInstanceOf(PanelException.Conflict.class,
                assertThrows(PanelException.class, () -> panel.listFiles(identifier, "/")));
        assertTrue(panel.resources(identifier).isSuspended());
        activities.unsuspendServer(one.id());
        assertFalse(panel.getServer(one.id()).suspended());

        // deleting through the activity removes exactly that server
        assertTrue(activities.deleteServer("ct-1"));
        assertEquals(0, PanelSim.countExternalId(sim, "ct-1"));
        assertEquals(1, PanelSim.countExternalId(sim, "ct-10"));
        assertFalse(activities.deleteServer("ct-1"));
    }
}
