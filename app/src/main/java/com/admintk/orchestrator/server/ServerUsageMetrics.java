package com.admintk.orchestrator.server;

import com.admintk.orchestrator.config.RunsWorkers;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each active server's CPU and memory use against its plan's limits, as {@code server_cpu_ratio} and
 * {@code server_memory_ratio} (label {@code server_id}), for the "server over its limits" alert. Polled from the
 * panel's resources call by worker processes, through the fleet-wide panel rate limit; at most
 * {@code max-servers} per round so a large fleet cannot eat the panel budget the sagas need.
 */
@Singleton
@Requires(condition = RunsWorkers.class)
public class ServerUsageMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ServerUsageMetrics.class);
    private static final double MIB = 1024.0 * 1024.0;

    private final ServerStore servers;
    private final PlanCatalog plans;
    private final PanelClient panel;
    private final int maxServers;
    private final MultiGauge cpu;
    private final MultiGauge memory;

    public ServerUsageMetrics(ServerStore servers, PlanCatalog plans, PanelClient panel, MeterRegistry registry,
                              @Value("${orchestrator.metrics.server-usage.max-servers:100}") int maxServers) {
        this.servers = servers;
        this.plans = plans;
        this.panel = panel;
        this.maxServers = maxServers;
        this.cpu = MultiGauge.builder("server.cpu.ratio").description("CPU use over the plan's CPU limit")
                .register(registry);
        this.memory = MultiGauge.builder("server.memory.ratio").description("Memory use over the plan's memory limit")
                .register(registry);
    }

    @Scheduled(fixedDelay = "${orchestrator.metrics.server-usage.interval:60s}", initialDelay = "30s")
    public void poll() {
        List<MultiGauge.Row<?>> cpuRows = new ArrayList<>();
        List<MultiGauge.Row<?>> memoryRows = new ArrayList<>();
        Map<String, Optional<Plan>> planCache = new HashMap<>();
        for (Document server : servers.list(null).stream().filter(s -> ServerStore.ACTIVE.equals(s.getString("status")))
                .limit(maxServers).toList()) {
            Optional<Plan> plan = planCache.computeIfAbsent(server.getString("planId"), plans::find);
            if (plan.isEmpty()) {
                continue;
            }
            try {
                Panel.Usage usage = panel.resources(server.getString("panelIdentifier")).resources();
                Tags tags = Tags.of("server_id", server.getString("_id"));
                cpuRows.add(MultiGauge.Row.of(tags, ratio(usage.cpuAbsolute(), plan.get().limits().cpu())));
                memoryRows.add(MultiGauge.Row.of(tags, ratio(usage.memoryBytes() / MIB, plan.get().limits().memory())));
            } catch (RuntimeException e) {
                LOG.debug("No resources for server {}: {}", server.getString("_id"), e.toString());
            }
        }
        cpu.register(cpuRows, true);
        memory.register(memoryRows, true);
    }

    /** A limit of 0 means unlimited on the panel: report no pressure rather than infinity. */
    private static double ratio(double used, int limit) {
        return limit <= 0 ? 0 : used / limit;
    }
}
