package com.admintk.orchestrator.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reconciliation's durations are checked before a worker starts, with the one-line message of every setting. */
class ReconciliationConfigurationTest {

    @Test
    void aWorkerRefusesAnUnreadableOrNonPositiveReconciliationDuration() {
        List<String> problems = problems(Map.of("orchestrator.reconciliation.interval", "ten minutes",
                "orchestrator.reconciliation.orphan-safety-age", "0s",
                "orchestrator.reconciliation.installing-stuck-after", "-5m"));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("RECONCILIATION_INTERVAL ")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("RECONCILIATION_ORPHAN_SAFETY_AGE ")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("RECONCILIATION_INSTALLING_STUCK_AFTER ")), problems.toString());
    }

    @Test
    void theDefaultsAndReadableDurationsPass() {
        assertEquals(List.of(), problems(Map.of()).stream().filter(p -> p.startsWith("RECONCILIATION")).toList());
        assertEquals(List.of(), problems(Map.of("orchestrator.reconciliation.interval", "30s",
                "orchestrator.reconciliation.orphan-safety-age", "2d")).stream()
                .filter(p -> p.startsWith("RECONCILIATION")).toList());
    }

    private static List<String> problems(Map<String, Object> reconciliation) {
        Map<String, Object> properties = new HashMap<>(reconciliation);
        properties.put("orchestrator.role", "worker");
        try (ApplicationContext probe = ApplicationContext.builder().properties(properties).banner(false).build()) {
            return ConfigurationCheck.problems(probe.getEnvironment().start());
        }
    }
}
