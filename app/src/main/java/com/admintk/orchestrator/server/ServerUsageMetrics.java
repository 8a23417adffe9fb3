package com.admintk.orchestrator.server;

import com.admintk.orchestrator.config.RunsWorkers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Each live server's CPU and memory use against its plan's limits, as {@code server_cpu_ratio} and
 * {@code server_memory_ratio} (label {@code server_id}), and {@code server_resource_alerts_active{resource}}, the
 * servers currently in a raised alert. Exported by the stats poller's leader only ({@link ServerStatsPoller}): a
 * follower exports none of these series and a leader that loses the lease withdraws them, so {@code sum()} or
 * {@code max()} over every worker counts each server once. {@code live_stats_poller_leader} is 1 on the leader and 0
 * elsewhere: its sum over the cluster is 1 while polling works.
 */
@Singleton
@Requires(condition = RunsWorkers.class)
public class ServerUsageMetrics {

    /** One server's use over its plan's limits (a limit of 0, unlimited on the panel, reports no pressure). */
    record Usage(String serverId, double cpuRatio, double memoryRatio) {
    }

    private final MultiGauge cpu;
    private final MultiGauge memory;
    private final MultiGauge alertsActive;
    private final AtomicInteger leader = new AtomicInteger();

    public ServerUsageMetrics(MeterRegistry registry) {
        this.cpu = MultiGauge.builder("server.cpu.ratio").description("CPU use over the plan's CPU limit")
                .register(registry);
        this.memory = MultiGauge.builder("server.memory.ratio").description("Memory use over the plan's memory limit")
                .register(registry);
        this.alertsActive = MultiGauge.builder("server.resource.alerts.active")
                .description("Servers currently above a resource alert level (raised and not cleared)")
                .register(registry);
        Gauge.builder("live.stats.poller.leader", leader, AtomicInteger::get)
                .description("1 on the worker that polls server stats for the cluster, 0 on the others")
                .register(registry);
    }

    /** The leader's latest round: replaces every row, so servers that left the live set disappear. */
    void publish(List<Usage> usage, Map<String, Integer> activeAlerts) {
        leader.set(1);
        List<MultiGauge.Row<?>> cpuRows = new ArrayList<>();
        List<MultiGauge.Row<?>> memoryRows = new ArrayList<>();
        for (Usage u : usage) {
            Tags tags = Tags.of("server_id", u.serverId());
            cpuRows.add(MultiGauge.Row.of(tags, u.cpuRatio()));
            memoryRows.add(MultiGauge.Row.of(tags, u.memoryRatio()));
        }
        cpu.register(cpuRows, true);
        memory.register(memoryRows, true);
        List<MultiGauge.Row<?>> alertRows = new ArrayList<>();
        activeAlerts.forEach((resource, count) -> alertRows.add(MultiGauge.Row.of(Tags.of("resource", resource),
                count)));
        alertsActive.register(alertRows, true);
    }

    /** No longer the leader: the new leader exports the series, this process none. */
    void withdraw() {
        leader.set(0);
        cpu.register(List.of(), true);
        memory.register(List.of(), true);
        alertsActive.register(List.of(), true);
    }

    /** Whether this process exports the cluster's series now. */
    public boolean exporting() {
        return leader.get() == 1;
    }
}
