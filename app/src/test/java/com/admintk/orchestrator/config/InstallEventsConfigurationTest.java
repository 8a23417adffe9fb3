package com.admintk.orchestrator.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstallEventsConfigurationTest {

    @Test
    void aWorkerRefusesALeaseShorterThanThreeScansAndUnreadableValues() {
        List<String> problems = problems(Map.of("orchestrator.install-events.scan-interval", "2s",
                "orchestrator.install-events.leader-lease", "5s"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("INSTALL_EVENTS_LEADER_LEASE (orchestrator.install-events.leader-lease)"
                + " is invalid: must be at least three scan intervals"), problems.get(0));
        assertTrue(problems(Map.of("orchestrator.install-events.watch-ttl", "soon")).get(0)
                .startsWith("INSTALL_EVENTS_WATCH_TTL (orchestrator.install-events.watch-ttl) is invalid"));
        assertTrue(problems(Map.of("orchestrator.install-events.max-sockets", "0")).get(0)
                .startsWith("INSTALL_EVENTS_MAX_SOCKETS"));
        assertTrue(problems(Map.of("orchestrator.install-events.key", " ")).get(0).startsWith("INSTALL_EVENTS_KEY"));
    }

    @Test
    void theDefaultsAndSensibleValuesPass() {
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(Map.of("orchestrator.install-events.enabled", "false",
                "orchestrator.install-events.scan-interval", "1s", "orchestrator.install-events.leader-lease", "10s")));
    }

    private static List<String> problems(Map<String, Object> settings) {
        Map<String, Object> properties = new HashMap<>(settings);
        properties.put("orchestrator.role", "worker");
        try (ApplicationContext probe = ApplicationContext.builder().properties(properties).banner(false).build()) {
            return ConfigurationCheck.problems(probe.getEnvironment().start()).stream()
                    .filter(p -> p.startsWith("INSTALL_EVENTS")).toList();
        }
    }
}
