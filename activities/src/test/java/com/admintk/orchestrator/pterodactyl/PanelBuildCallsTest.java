package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calls behind plan changes, reinstalls and reconciliation, against the panel simulator. */
class PanelBuildCallsTest {

    private PanelSimulator sim;
    private PanelClient client;

    @BeforeEach
    void start() {
        sim = PanelSim.start(Duration.ofMillis(50));
        client = PanelSim.client(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private Panel.Server create(String externalId) {
        return client.createServer(PterodactylActivitiesImpl.newServer(externalId, PanelSim.paper(externalId, null)));
    }

    @Test
    void aBuildPatchChangesTheLimitsThePanelReports() {
        Panel.Server server = create("order:build");
        Panel.Server patched = client.updateBuild(server.id(), new Panel.BuildUpdate(server.allocation(),
                Panel.Limits.of(4096, 0, 20480, 500, 200), new Panel.FeatureLimits(2, 3, 4), null, null, null));
        assertEquals(4096, patched.limits().memory());
        Panel.Server read = client.getServer(server.id());
        assertEquals(4096, read.limits().memory());
        assertEquals(20480, read.limits().disk());
        assertEquals(200, read.limits().cpu());
        assertEquals(new Panel.FeatureLimits(2, 3, 4), read.featureLimits());
    }

    @Test
    void aStartupPatchChangesTheStartupCommand() {
        Panel.Server server = create("order:startup");
        Map<String, String> environment = new java.util.HashMap<>();
        server.container().environment().forEach((k, v) -> environment.put(k, String.valueOf(v)));
        client.updateStartup(server.id(), new Panel.StartupUpdate("java -jar {{SERVER_JARFILE}} nogui", environment,
                server.egg(), server.container().image(), true));
        assertEquals("java -jar {{SERVER_JARFILE}} nogui", client.getServer(server.id()).container().startupCommand());
    }

    @Test
    void aReinstallPutsTheServerBackToInstalling() throws Exception {
        Panel.Server server = create("order:reinstall");
        for (int i = 0; i < 100 && client.getServer(server.id()).installing(); i++) {
            Thread.sleep(20);
        }
        client.reinstallServer(server.id());
        assertEquals("installing", client.getServer(server.id()).status());
    }

    @Test
    void theServerListCoversEveryPage() {
        for (int i = 0; i < 3; i++) {
            create("order:list-" + i);
        }
        List<Panel.Server> all = client.listServers();
        assertTrue(all.stream().filter(s -> s.externalId() != null && s.externalId().startsWith("order:list-"))
                .count() == 3, "listed " + all.size());
    }
}
