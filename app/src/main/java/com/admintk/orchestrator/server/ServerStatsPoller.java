package com.admintk.orchestrator.server;

import com.admintk.orchestrator.config.RunsWorkers;
import com.admintk.orchestrator.identity.UserRepository;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.pterodactyl.PanelException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.serde.ObjectMapper;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one poller of server stats for the whole cluster. Every worker process runs this loop, but only the holder of
 * the Redis lease ({@link PollerLease}, {@code orchestrator.live.stats.leader-key}) polls: N worker replicas spend the
 * panel budget of one. Each interval the leader:
 * <ol>
 *   <li>takes the live servers (ACTIVE or PAST_DUE, on the panel), at most {@code max-servers-per-round} of them in
 *   turns;</li>
 *   <li>leaves out the ones watched over the WebSocket ({@code live:watched:{id}}): their Wings stream keeps
 *   {@code live:stats:{id}} fresh already;</li>
 *   <li>polls the panel's resources call for the others, spread evenly over the interval (through the fleet-wide
 *   panel rate limit, never in a burst that would starve the sagas), and writes {@code live:stats:{id}};</li>
 *   <li>judges every live server's latest figures, whoever wrote them, against its plan ({@link ResourceAlerts}) and
 *   exports the per-server gauges ({@link ServerUsageMetrics}).</li>
 * </ol>
 * It runs in worker processes (roles worker and dev), next to the panel activities: the api role scales with HTTP
 * traffic and has no business with the panel's budget. A follower keeps trying to take the lease each interval, so a
 * leader that stops (shutdown releases the lease) is replaced within an interval, one that dies within its lease.
 */
@Singleton
@Requires(condition = RunsWorkers.class)
public class ServerStatsPoller implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(ServerStatsPoller.class);
    private static final double MIB = 1024.0 * 1024.0;

    private final LiveStatsSettings settings;
    private final ServerStore servers;
    private final PlanCatalog plans;
    private final PanelRegions panel;
    private final ServerUsageMetrics metrics;
    private final MeterRegistry registry;
    private final LiveStats stats;
    private final ResourceAlerts alerts;
    private final PollerLease lease;
    private final ScheduledExecutorService loop;
    /** Where the next round starts in the list of live servers, when there are more than one round takes. */
    private int turn;

    public ServerStatsPoller(LiveStatsSettings settings, ServerStore servers, PlanCatalog plans, PanelRegions panel,
                             ServerUsageMetrics metrics, MeterRegistry registry,
                             StatefulRedisConnection<String, String> redis, WorkflowClient temporal,
                             UserRepository users, ObjectMapper json) {
        String problem = settings.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.settings = settings;
        this.servers = servers;
        this.plans = plans;
        this.panel = panel;
        this.metrics = metrics;
        this.registry = registry;
        RedisCommands<String, String> commands = redis.sync();
        this.stats = new LiveStats(commands);
        this.alerts = new ResourceAlerts(commands, stats, settings, temporal, users, json, registry);
        this.lease = new PollerLease(commands, settings.leaderKey(), PollerLease.newInstanceId(),
                settings.leaderLease());
        this.loop = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "live-stats-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("Server stats poller off (orchestrator.live.stats.enabled=false)");
            return;
        }
        LOG.info("Server stats poller {} ready: one leader polls every {} ({} lease)", lease.instanceId(),
                settings.interval(), settings.leaderLease());
        loop.scheduleAtFixedRate(this::tick, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether this process polls for the cluster now. */
    public boolean leading() {
        return lease.stillHeld();
    }

    /** Never throws: an exception would cancel every later run of the schedule. */
    private void tick() {
        try {
            if (!lease.holdOrTake()) {
                stepDown();
                return;
            }
            if (!metrics.exporting()) {
                LOG.info("{} now polls server stats for the cluster", lease.instanceId());
            }
            round();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Server stats round failed: {}", e.toString());
            if (!lease.stillHeld()) {
                stepDown();
            }
        }
    }

    private void stepDown() {
        if (metrics.exporting()) {
            LOG.info("{} no longer polls server stats", lease.instanceId());
            metrics.withdraw();
        }
    }

    private void round() throws InterruptedException {
        long start = System.nanoTime();
        List<Document> live = servers.live();
        List<Document> due = new ArrayList<>();
        for (Document server : inTurn(live)) {
            if (stats.watched(server.getString("_id"))) {
                polls("watched").increment();
            } else {
                due.add(server);
            }
        }
        // spread over most of the interval, so the round ends before the next one starts
        long spacing = settings.interval().toNanos() * 9 / 10 / Math.max(1, due.size());
        for (int i = 0; i < due.size(); i++) {
            sleepUntil(start + i * spacing);
            if (lease.sinceRenewal().compareTo(settings.leaderLease().dividedBy(3)) > 0 && !lease.holdOrTake()) {
                stepDown();
                return;
            }
            if (!lease.stillHeld()) {
                stepDown();
                return;
            }
            poll(due.get(i));
        }
        judge(live);
    }

    private List<Document> inTurn(List<Document> live) {
        int max = settings.maxServersPerRound();
        if (live.size() <= max) {
            return live;
        }
        List<Document> chosen = new ArrayList<>(max);
        int from = turn % live.size();
        for (int i = 0; i < max; i++) {
            chosen.add(live.get((from + i) % live.size()));
        }
        turn = from + max;
        return chosen;
    }

    private void poll(Document server) {
        String serverId = server.getString("_id");
        try {
            // each server from its own region's panel, under that panel's budget
            Panel.Resources resources = panel.client(server.getString("region"))
                    .resources(server.getString("panelIdentifier"));
            Panel.Usage usage = resources.resources();
            stats.write(serverId, new LiveStats.Reading(resources.currentState(), usage.cpuAbsolute(),
                    usage.memoryBytes(), usage.diskBytes(), System.currentTimeMillis()),
                    settings.staleAfter().multipliedBy(2));
            polls("ok").increment();
        } catch (PanelException.Unavailable refused) {
            // the panel budget is spent (our bucket or the panel's 429): this server waits for its next turn
            boolean budget = refused.reason() == PanelException.Unavailable.Reason.RATE_LIMITED;
            polls(budget ? "refused" : "failed").increment();
            LOG.debug("No resources for server {}: {}", serverId, refused.toString());
        } catch (RuntimeException e) {
            polls("failed").increment();
            LOG.debug("No resources for server {}: {}", serverId, e.toString());
        }
    }

    /** Every live server, polled or streamed: alerts and gauges judge whatever figures are freshest. */
    private void judge(List<Document> live) {
        long now = System.currentTimeMillis();
        Map<String, Optional<Plan>> planCache = new HashMap<>();
        List<ServerUsageMetrics.Usage> usage = new ArrayList<>();
        Map<String, Integer> active = new TreeMap<>(Map.of(ServerResourceAlert.CPU, 0, ServerResourceAlert.MEMORY, 0));
        for (Document server : live) {
            Optional<Plan> plan = planCache.computeIfAbsent(server.getString("planId"), plans::find);
            Optional<LiveStats.Reading> reading = stats.read(server.getString("_id"));
            if (plan.isEmpty() || reading.isEmpty()) {
                continue;
            }
            try {
                for (ResourceAlerts.Level level : alerts.evaluate(server, plan.get(), reading.get(), now)) {
                    if (level.raised()) {
                        active.merge(level.resource(), 1, Integer::sum);
                    }
                }
            } catch (RedisException e) {
                LOG.warn("Alerts of server {} not judged: {}", server.getString("_id"), e.toString());
            }
            usage.add(new ServerUsageMetrics.Usage(server.getString("_id"),
                    ratio(reading.get().cpu(), plan.get().limits().cpu()),
                    ratio(reading.get().memoryBytes() / MIB, plan.get().limits().memory())));
        }
        if (lease.stillHeld()) {
            metrics.publish(usage, active);
        }
    }

    /** A limit of 0 means unlimited on the panel: report no pressure rather than infinity. */
    private static double ratio(double used, int limit) {
        return limit <= 0 ? 0 : used / limit;
    }

    private Counter polls(String outcome) {
        return Counter.builder("live.stats.polls").description("Server stats polls of the leader, by outcome "
                + "(watched: left to the WebSocket's Wings stream)").tag("outcome", outcome).register(registry);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    @PreDestroy
    void stop() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // the next instance takes over at its next tick instead of waiting out the lease
            lease.release();
        } catch (RedisException e) {
            LOG.warn("Poller lease not released (it expires in {}): {}", settings.leaderLease(), e.toString());
        }
        metrics.withdraw();
    }
}
