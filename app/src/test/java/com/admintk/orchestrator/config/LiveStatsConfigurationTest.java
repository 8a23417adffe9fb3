package com.admintk.orchestrator.config;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveStatsConfigurationTest {

    @Test
    void aWorkerRefusesALeaseNoLongerThanTheInterval() {
        List<String> problems = problems(Map.of("orchestrator.live.stats.interval", "30s",
                "orchestrator.live.stats.leader-lease", "30s"));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("LIVE_STATS_LEADER_LEASE (orchestrator.live.stats.leader-lease) is "
                + "invalid: must be longer than the interval"), problems.get(0));
    }

    @Test
    void aWorkerRefusesUnreadableDurationsAndLevelsOutOfRange() {
        assertTrue(problems(Map.of("orchestrator.live.stats.interval", "every minute")).get(0)
                .startsWith("LIVE_STATS_INTERVAL (orchestrator.live.stats.interval) is invalid"));
        assertTrue(problems(Map.of("orchestrator.live.stats.cpu-alert-percent", "0")).get(0)
                .startsWith("LIVE_STATS_CPU_ALERT_PERCENT"));
        assertTrue(problems(Map.of("orchestrator.live.stats.memory-alert-percent", "150")).get(0)
                .startsWith("LIVE_STATS_MEMORY_ALERT_PERCENT"));
        assertTrue(problems(Map.of("orchestrator.live.stats.max-servers-per-round", "many")).get(0)
                .startsWith("LIVE_STATS_MAX_SERVERS"));
        assertTrue(problems(Map.of("orchestrator.live.stats.alert-after", "-1m")).get(0)
                .startsWith("LIVE_STATS_ALERT_AFTER"));
    }

    @Test
    void theDefaultsAndSensibleValuesPass() {
        assertEquals(List.of(), problems(Map.of()));
        assertEquals(List.of(), problems(Map.of("orchestrator.live.stats.interval", "15s",
                "orchestrator.live.stats.leader-lease", "45s", "orchestrator.live.stats.cpu-alert-percent", "95",
                "orchestrator.live.stats.alert-after", "0s")));
    }

    private static List<String> problems(Map<String, Object> stats) {
        Map<String, Object> properties = new HashMap<>(stats);
        properties.put("orchestrator.role", "worker");
        try (ApplicationContext probe = ApplicationContext.builder().properties(properties).banner(false).build()) {
            return ConfigurationCheck.problems(probe.getEnvironment().start()).stream()
                    .filter(p -> p.startsWith("LIVE_STATS")).toList();
        }
    }
}
