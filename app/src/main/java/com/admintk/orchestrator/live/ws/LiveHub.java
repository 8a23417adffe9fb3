package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.live.LiveServerService;
import com.admintk.orchestrator.server.LiveSessionActivitiesImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The cluster-wide side of live servers, one per API instance.
 *
 * <ul>
 *   <li><b>One Wings socket per watched server, cluster-wide.</b> The instance that wins
 *       {@code SET live:watched:{serverId} <instance> NX PX <ttl>} owns it, renews the key while anyone watches, and
 *       opens the server's {@link WingsRelay}. A killed owner's key expires and the next instance with watchers
 *       takes over. The resources poller skips servers with this key.</li>
 *   <li><b>Who watches.</b> Each instance with watchers of a server keeps its member in the sorted set
 *       {@code live:watchers:{serverId}} (score: when it expires), renewed while its sockets watch; the owner closes
 *       the Wings socket once no unexpired member is left, so a killed instance's watchers stop counting by
 *       themselves.</li>
 *   <li><b>Fan-out.</b> The owner publishes every event to {@code live:events:{serverId}} (the client message as it
 *       is, so events from elsewhere, such as threshold alerts, pass through too); each instance subscribes to the
 *       channels of the servers its sockets watch and hands each event to them. {@code live:close} ends every
 *       socket's watch of a suspended or terminated server.</li>
 *   <li><b>Snapshots.</b> The latest stats in the hash {@code live:stats:{serverId}} (also written by the poller for
 *       unwatched servers) and recent console lines in the list {@code live:console:{serverId}}, so a subscriber on
 *       any instance, after any takeover, starts from the current state.</li>
 * </ul>
 */
@Singleton
@Requires(condition = ServesApi.class)
@Requires(property = "panel.url")
public class LiveHub {

    static final String WATCHED = "live:watched:";
    static final String WATCHERS = "live:watchers:";
    static final String EVENTS = "live:events:";
    static final String STATS = "live:stats:";
    static final String CONSOLE = "live:console:";
    static final String CLOSE_CHANNEL = LiveSessionActivitiesImpl.CHANNEL;

    /** Renews the key only while it is still ours: a takeover after a pause must not be undone. */
    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    /** Releases the key only while it is still ours. */
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";

    private static final Logger LOG = LoggerFactory.getLogger(LiveHub.class);

    /** What a socket's watch of a server looks like from here. */
    interface Watcher {
        /** An event of the server's stream, as the client gets it. Must not block (runs on Redis' thread). */
        void deliver(String serverId, String event);

        /** The server can no longer be watched (suspended, terminated): {@code reason} is the error code. */
        void ended(String serverId, String reason);
    }

    private final String instance = "api-" + UUID.randomUUID();
    private final LiveSocketSettings settings;
    private final LiveServerService servers;
    private final StatefulRedisConnection<String, String> redis;
    private final RedisClient client;
    private StatefulRedisPubSubConnection<String, String> pubsub;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry metrics;
    private final Map<String, Set<Watcher>> local = new ConcurrentHashMap<>();
    private final Map<String, WingsRelay> relays = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public LiveHub(LiveSocketSettings settings, LiveServerService servers, RedisClient client,
                   StatefulRedisConnection<String, String> redis, MeterRegistry metrics) {
        this.settings = settings;
        this.servers = servers;
        this.redis = redis;
        this.metrics = metrics;
        this.client = client;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "live-hub");
            thread.setDaemon(true);
            return thread;
        });
        metrics.gaugeMapSize("live_watched_servers", List.of(), local);
        metrics.gaugeMapSize("live_wings_sockets", List.of(), relays);
        long renew = settings.watchRenew().toMillis();
        scheduler.scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS);
    }

    /**
     * The subscriber connection, opened on first use (and again after a failure) rather than at startup: an API
     * instance starts, and serves REST, while Redis is down.
     */
    private synchronized StatefulRedisPubSubConnection<String, String> pubsub() {
        if (pubsub == null) {
            StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    onMessage(channel, message);
                }
            });
            connection.sync().subscribe(CLOSE_CHANNEL);
            pubsub = connection;
        }
        return pubsub;
    }

    String instance() {
        return instance;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Adds a local watcher of the server: the first one on this instance subscribes the instance to the server's
     * events, counts it among the watchers and tries to own the Wings socket at once (no wait for the next renewal).
     * Blocking (Redis): call it off the event loop.
     */
    void watch(String serverId, Watcher watcher) {
        boolean first;
        synchronized (local) {
            Set<Watcher> watchers = local.computeIfAbsent(serverId, id -> ConcurrentHashMap.newKeySet());
            first = watchers.isEmpty();
            watchers.add(watcher);
        }
        if (first) {
            // on the hub's thread, like the unsubscribe of the last watcher, so the two cannot interleave
            try {
                scheduler.submit(() -> {
                    pubsub().sync().subscribe(EVENTS + serverId);
                    announce(redis.sync(), serverId);
                    return null;
                }).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException failed) {
                unwatch(serverId, watcher);
                throw failed.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(failed.getCause());
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                unwatch(serverId, watcher);
                throw new IllegalStateException("live hub unavailable", e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                unwatch(serverId, watcher);
                throw new IllegalStateException("interrupted", interrupted);
            }
            scheduler.execute(() -> claim(serverId));
        }
    }

    /** Removes a local watcher; the last one on this instance stops counting this instance at once. */
    void unwatch(String serverId, Watcher watcher) {
        boolean last;
        synchronized (local) {
            Set<Watcher> watchers = local.get(serverId);
            if (watchers == null || !watchers.remove(watcher)) {
                return;
            }
            last = watchers.isEmpty();
            if (last) {
                local.remove(serverId);
            }
        }
        if (last && !stopping) {
            scheduler.execute(() -> {
                if (local.containsKey(serverId)) {
                    return; // watched again meanwhile
                }
                try {
                    pubsub().sync().unsubscribe(EVENTS + serverId);
                    redis.sync().zrem(WATCHERS + serverId, instance);
                } catch (RuntimeException redisDown) {
                    LOG.warn("Could not stop watching server {}: {}", serverId, redisDown.toString());
                }
                renewOwned(serverId);
            });
        }
    }

    /** The current state of a server as a snapshot message: status and stats from the hash, recent console lines. */
    ObjectNode snapshot(String serverId) {
        RedisCommands<String, String> sync = redis.sync();
        Map<String, String> stats = sync.hgetall(STATS + serverId);
        List<String> console = settings.consoleLines() == 0 ? List.of()
                : sync.lrange(CONSOLE + serverId, -settings.consoleLines(), -1);
        ObjectNode snapshot = LiveProtocol.message(LiveProtocol.SNAPSHOT);
        snapshot.put("server", serverId);
        snapshot.put("watched", sync.exists(WATCHED + serverId) > 0);
        if (stats.get("state") != null) {
            snapshot.put("state", stats.get("state"));
        } else {
            snapshot.putNull("state");
        }
        if (stats.containsKey("atMillis")) {
            ObjectNode latest = snapshot.putObject("stats");
            latest.put("state", stats.get("state"));
            putNumber(latest, "cpu", stats.get("cpu"));
            putNumber(latest, "memoryBytes", stats.get("memoryBytes"));
            putNumber(latest, "diskBytes", stats.get("diskBytes"));
            putNumber(latest, "atMillis", stats.get("atMillis"));
        } else {
            snapshot.putNull("stats");
        }
        snapshot.putArray("console").addAll(console.stream()
                .map(line -> (JsonNode) LiveProtocol.JSON.getNodeFactory().textNode(line)).toList());
        return snapshot;
    }

    /** Whether this instance currently holds the server's Wings socket. */
    boolean owns(String serverId) {
        return relays.containsKey(serverId);
    }

    /** Ends every watch of the server on every instance ({@code live:close}). */
    void endEverywhere(String serverId, String reason) {
        ObjectNode close = LiveProtocol.JSON.createObjectNode();
        close.put("server", serverId);
        close.put("reason", reason);
        redis.sync().publish(CLOSE_CHANNEL, close.toString());
    }

    // ---- the renewal loop ----------------------------------------------------------------------------------------

    private void renew() {
        if (stopping) {
            return;
        }
        try {
            RedisCommands<String, String> sync = redis.sync();
            for (String serverId : List.copyOf(local.keySet())) {
                announce(sync, serverId);
                claim(serverId);
            }
            for (String serverId : List.copyOf(relays.keySet())) {
                renewOwned(serverId);
            }
        } catch (RuntimeException redisDown) {
            // Without Redis no key can be renewed: the Wings sockets close below once the keys are lost.
            LOG.warn("Live watch renewal failed: {}", redisDown.toString());
        }
    }

    /** This instance has watchers of the server until {@code now + ttl}. */
    private void announce(RedisCommands<String, String> sync, String serverId) {
        long ttl = settings.watchTtl().toMillis();
        sync.zadd(WATCHERS + serverId, System.currentTimeMillis() + ttl, instance);
        sync.pexpire(WATCHERS + serverId, ttl * 2);
    }

    /** Takes the server's Wings socket when nobody holds it. Runs on the hub's thread. */
    private void claim(String serverId) {
        if (stopping || relays.containsKey(serverId) || !local.containsKey(serverId)) {
            return;
        }
        String won = redis.sync().set(WATCHED + serverId, instance,
                SetArgs.Builder.nx().px(settings.watchTtl().toMillis()));
        if (!"OK".equals(won)) {
            return;
        }
        Optional<LiveServerService.PanelServer> panelServer = servers.panelServer(serverId);
        if (panelServer.isEmpty() || panelServer.get().identifier() == null) {
            release(serverId);
            return;
        }
        LOG.info("Watching server {} (Wings socket of {}) from {}", serverId, panelServer.get(), instance);
        // the Wings socket of the server's own region, reached with that panel as Origin
        WingsRelay relay = new WingsRelay(serverId, panelServer.get(), servers.panelUrl(panelServer.get().region()),
                servers, redis, settings, metrics);
        relays.put(serverId, relay);
        relay.open();
    }

    /** Keeps the server's Wings socket while the key is ours and someone, anywhere, watches. Hub thread. */
    private void renewOwned(String serverId) {
        WingsRelay relay = relays.get(serverId);
        if (relay == null) {
            return;
        }
        RedisCommands<String, String> sync = redis.sync();
        Long renewed = sync.eval(RENEW, ScriptOutputType.INTEGER, new String[]{WATCHED + serverId}, instance,
                Long.toString(settings.watchTtl().toMillis()));
        if (renewed == null || renewed == 0) {
            LOG.warn("Lost the Wings socket of server {} to another instance", serverId);
            stopRelay(serverId);
            return;
        }
        sync.zremrangebyscore(WATCHERS + serverId, io.lettuce.core.Range.create(0, System.currentTimeMillis()));
        if (sync.zcard(WATCHERS + serverId) == 0) {
            LOG.info("Nobody watches server {} any more: closing its Wings socket", serverId);
            stopRelay(serverId);
            release(serverId);
        }
    }

    private void stopRelay(String serverId) {
        WingsRelay relay = relays.remove(serverId);
        if (relay != null) {
            relay.close();
        }
    }

    private void release(String serverId) {
        redis.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[]{WATCHED + serverId}, instance);
    }

    // ---- fan-out -------------------------------------------------------------------------------------------------

    private void onMessage(String channel, String message) {
        if (CLOSE_CHANNEL.equals(channel)) {
            JsonNode close;
            try {
                close = LiveProtocol.JSON.readTree(message);
            } catch (Exception unreadable) {
                LOG.warn("Unreadable message on {}: {}", CLOSE_CHANNEL, message);
                return;
            }
            String serverId = close.path("server").asText("");
            String reason = close.path("reason").asText("SERVER_GONE");
            for (Watcher watcher : List.copyOf(local.getOrDefault(serverId, Set.of()))) {
                watcher.ended(serverId, reason);
            }
            if (relays.containsKey(serverId)) {
                scheduler.execute(() -> {
                    stopRelay(serverId);
                    release(serverId);
                });
            }
            return;
        }
        if (!channel.startsWith(EVENTS)) {
            return;
        }
        String serverId = channel.substring(EVENTS.length());
        for (Watcher watcher : local.getOrDefault(serverId, Set.of())) {
            watcher.deliver(serverId, message);
        }
    }

    // ---- shutdown ------------------------------------------------------------------------------------------------

    /**
     * Hands the Wings sockets over: each is closed (and its close answered) before its key is released, so the
     * instance that takes over never has a second socket open beside it. The watchers' sockets are closed by
     * {@link LiveSocket} first, with 1001, so clients reconnect elsewhere.
     */
    @PreDestroy
    void stop() {
        stopping = true;
        scheduler.shutdownNow();
        RedisCommands<String, String> sync = redis.sync();
        for (String serverId : new ArrayList<>(relays.keySet())) {
            WingsRelay relay = relays.remove(serverId);
            relay.closeAndWait(Duration.ofSeconds(3));
            try {
                sync.eval(RELEASE, ScriptOutputType.INTEGER, new String[]{WATCHED + serverId}, instance);
            } catch (RuntimeException redisDown) {
                LOG.warn("Could not release the Wings socket of {}: it expires by itself", serverId);
            }
        }
        for (String serverId : new ArrayList<>(local.keySet())) {
            try {
                sync.zrem(WATCHERS + serverId, instance);
            } catch (RuntimeException redisDown) {
                // expires by itself
            }
        }
        local.clear();
        synchronized (this) {
            if (pubsub != null) {
                pubsub.close();
            }
        }
    }

    private static void putNumber(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
            return;
        }
        try {
            if (value.contains(".") || value.contains("E") || value.contains("e")) {
                node.put(field, Double.parseDouble(value));
            } else {
                node.put(field, Long.parseLong(value));
            }
        } catch (NumberFormatException unreadable) {
            node.putNull(field);
        }
    }
}
