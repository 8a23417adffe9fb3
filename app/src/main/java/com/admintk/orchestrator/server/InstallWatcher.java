package com.admintk.orchestrator.server;

import com.admintk.orchestrator.config.RunsWorkers;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.pterodactyl.WingsEvent;
import com.admintk.orchestrator.pterodactyl.WingsSocketClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Turns Wings' {@code install completed} into a signal to the provisioning that waits for it. Every worker process
 * runs this loop; only the holder of the Redis lease ({@link PollerLease}, {@code orchestrator.install-events.leader-key})
 * acts, so the fleet holds one socket per installing server. Each scan the leader reads the watch list
 * ({@link InstallWatches}), opens a Wings socket for each newly listed server (credentials from the client API's
 * websocket call, through the fleet-wide panel rate limit; a refused or failed call is retried by the socket's
 * backoff), closes the sockets of servers no longer listed, and drops entries older than the watch TTL. On
 * {@code install completed} (finished or failed: the workflow asks the panel which) it signals the workflow
 * ({@link ProvisionServerWorkflow#INSTALL_SIGNAL}) and drops the entry.
 *
 * <p>Nothing here is needed for an order to finish: a socket that never connects, a lost lease, a signal that fails
 * only mean the workflow's polling finds the install, later.
 */
@Singleton
@Requires(condition = RunsWorkers.class)
public class InstallWatcher implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(InstallWatcher.class);

    private final InstallEventsSettings settings;
    private final InstallWatches watches;
    private final PanelRegions regions;
    private final WorkflowClient temporal;
    private final MeterRegistry registry;
    private final PollerLease lease;
    private final ScheduledExecutorService loop;
    private final Map<String, WingsSocketClient> sockets = new ConcurrentHashMap<>();

    public InstallWatcher(InstallWatches watches, PanelRegions regions, WorkflowClient temporal, MeterRegistry registry,
                          StatefulRedisConnection<String, String> redis) {
        this.settings = watches.settings();
        String problem = settings.problem();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        this.watches = watches;
        this.regions = regions;
        this.temporal = temporal;
        this.registry = registry;
        this.lease = new PollerLease(redis.sync(), settings.leaderKey(), PollerLease.newInstanceId(),
                settings.leaderLease());
        Gauge.builder("install.watch.sockets", sockets, Map::size)
                .description("Wings sockets the install watcher holds open (leader only)").register(registry);
        for (String outcome : List.of("signalled", "ended", "failed", "expired")) {
            outcomes(outcome);
        }
        this.loop = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "install-watcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("Install watcher off (orchestrator.install-events.enabled=false): installs are found by polling");
            return;
        }
        LOG.info("Install watcher {} ready: the leader scans {} every {}", lease.instanceId(), settings.key(),
                settings.scanInterval());
        loop.scheduleWithFixedDelay(this::tick, 0, settings.scanInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether this process holds the cluster's install sockets now. */
    public boolean leading() {
        return lease.stillHeld();
    }

    /** Never throws: an exception would cancel every later run of the schedule. */
    private void tick() {
        try {
            boolean renewDue = !lease.held()
                    || lease.sinceRenewal().compareTo(settings.leaderLease().dividedBy(3)) > 0;
            if (renewDue ? !lease.holdOrTake() : !lease.stillHeld()) {
                stepDown();
                return;
            }
            scan();
        } catch (RuntimeException e) {
            LOG.warn("Install watch scan failed: {}", e.toString());
            if (!lease.stillHeld()) {
                stepDown();
            }
        }
    }

    private void scan() {
        long now = System.currentTimeMillis();
        Set<String> listed = new HashSet<>();
        for (InstallWatches.Watch watch : watches.all()) {
            if (now - watch.listedAtMillis() > settings.watchTtl().toMillis()) {
                // its provisioning ended without taking it off (the unwatch gave up): nobody waits for it
                watches.unwatch(watch.key());
                close(watch.key());
                outcomes("expired").increment();
                continue;
            }
            listed.add(watch.key());
            if (!sockets.containsKey(watch.key()) && sockets.size() < settings.maxSockets()) {
                open(watch);
            }
        }
        for (String open : Set.copyOf(sockets.keySet())) {
            if (!listed.contains(open)) {
                close(open);
            }
        }
    }

    private void open(InstallWatches.Watch watch) {
        PanelClient panel;
        try {
            panel = regions.client(watch.region());
        } catch (PanelRegions.UnknownRegion unknown) {
            return; // a region this worker is not configured for: its polling finishes the job
        }
        WingsSocketClient socket = new WingsSocketClient(panel.configuration().url(),
                () -> panel.websocketCredentials(watch.panelServerUuid()), event -> heard(watch, event),
                Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(15));
        sockets.put(watch.key(), socket);
        socket.connect().exceptionally(e -> null);
        LOG.debug("Watching the install of panel server {} for {}", watch.panelServerId(), watch.workflowId());
    }

    /** On the socket's thread: the signal and the Redis write go to the loop, which owns the socket map. */
    private void heard(InstallWatches.Watch watch, WingsEvent event) {
        boolean completed = event instanceof WingsEvent.InstallCompleted;
        boolean deleted = event instanceof WingsEvent.Disconnected lost && lost.reason() != null
                && lost.reason().toLowerCase().contains("deleted");
        if (!completed && !deleted) {
            return;
        }
        try {
            loop.execute(() -> {
                if (completed) {
                    signal(watch);
                } else {
                    // the server is gone (an undo, an operator): its provisioning learns it from the panel
                    close(watch.key());
                }
            });
        } catch (RejectedExecutionException stopping) {
            // shutting down: the polling finishes the job
        }
    }

    private void signal(InstallWatches.Watch watch) {
        if (sockets.get(watch.key()) == null) {
            return; // already signalled, or no longer listed
        }
        close(watch.key());
        try {
            temporal.newUntypedWorkflowStub(watch.workflowId()).signal(ProvisionServerWorkflow.INSTALL_SIGNAL);
            watches.seenByEvent();
            outcomes("signalled").increment();
            LOG.info("Install of panel server {} completed: {} signalled", watch.panelServerId(), watch.workflowId());
        } catch (WorkflowNotFoundException ended) {
            outcomes("ended").increment();
        } catch (RuntimeException e) {
            outcomes("failed").increment();
            LOG.warn("Install of panel server {} completed, but {} was not signalled (its polling will see it): {}",
                    watch.panelServerId(), watch.workflowId(), e.toString());
        }
        try {
            watches.unwatch(watch.key());
        } catch (RedisException e) {
            LOG.warn("Install watch of panel server {} left to expire: {}", watch.panelServerId(), e.toString());
        }
    }

    private void close(String key) {
        WingsSocketClient socket = sockets.remove(key);
        if (socket != null) {
            socket.close();
        }
    }

    private void stepDown() {
        if (!sockets.isEmpty()) {
            LOG.info("{} no longer watches installs: closing {} Wings sockets", lease.instanceId(), sockets.size());
            for (String open : Set.copyOf(sockets.keySet())) {
                close(open);
            }
        }
    }

    private Counter outcomes(String outcome) {
        return Counter.builder("install.watch.completions").description("install completed events heard by the "
                + "watcher, by outcome (signalled; ended: the workflow was done already; failed: the signal was not "
                + "delivered; expired: entries dropped after the watch TTL)").tag("outcome", outcome)
                .register(registry);
    }

    @PreDestroy
    void stop() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String open : Set.copyOf(sockets.keySet())) {
            close(open);
        }
        try {
            // the next instance takes over at its next scan instead of waiting out the lease
            lease.release();
        } catch (RedisException e) {
            LOG.warn("Install watcher lease not released (it expires in {}): {}", settings.leaderLease(), e.toString());
        }
    }
}
