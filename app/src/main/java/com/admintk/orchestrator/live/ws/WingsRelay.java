package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.live.LiveServerService;
import com.admintk.orchestrator.pterodactyl.WingsEvent;
import com.admintk.orchestrator.pterodactyl.WingsSocketClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one Wings socket of a watched server, held by the instance that owns {@code live:watched:{serverId}}. It turns
 * what Wings says into client messages, keeps the snapshot data in Redis (stats hash, bounded console list) and
 * publishes every message to {@code live:events:{serverId}}. {@link WingsSocketClient} re-authenticates on
 * {@code token expiring} with fresh credentials (fetched through the live panel's breaker) and reconnects on drops.
 */
final class WingsRelay {

    private static final Logger LOG = LoggerFactory.getLogger(WingsRelay.class);

    private final String serverId;
    private final WingsSocketClient socket;
    private final StatefulRedisConnection<String, String> redis;
    private final LiveSocketSettings settings;
    private final Counter reauthentications;

    WingsRelay(String serverId, LiveServerService.PanelServer panelServer, String panelUrl, LiveServerService servers,
               StatefulRedisConnection<String, String> redis, LiveSocketSettings settings, MeterRegistry metrics) {
        this.serverId = serverId;
        this.redis = redis;
        this.settings = settings;
        this.reauthentications = metrics.counter("live_wings_reauthentications_total");
        this.socket = new WingsSocketClient(panelUrl, () -> servers.websocketCredentials(panelServer), this::relay,
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(15));
    }

    void open() {
        socket.connect().exceptionally(e -> null);
    }

    void close() {
        socket.close();
    }

    void closeAndWait(Duration timeout) {
        if (!socket.closeAndWait(timeout)) {
            LOG.warn("Wings did not answer the close of server {}'s socket in {}", serverId, timeout);
        }
    }

    private void relay(WingsEvent event) {
        RedisAsyncCommands<String, String> async = redis.async();
        if (event instanceof WingsEvent.Status status) {
            async.hset(LiveHub.STATS + serverId, "state", String.valueOf(status.state()));
            ObjectNode message = LiveProtocol.message(LiveProtocol.STATUS);
            message.put("server", serverId);
            message.put("state", status.state());
            publish(async, message);
        } else if (event instanceof WingsEvent.Stats stats) {
            WingsEvent.WingsStats s = stats.stats();
            long now = System.currentTimeMillis();
            Map<String, String> latest = new LinkedHashMap<>();
            latest.put("state", String.valueOf(s.state()));
            latest.put("cpu", Double.toString(s.cpuAbsolute()));
            latest.put("memoryBytes", Long.toString(s.memoryBytes()));
            latest.put("diskBytes", Long.toString(s.diskBytes()));
            latest.put("atMillis", Long.toString(now));
            async.hset(LiveHub.STATS + serverId, latest);
            ObjectNode message = LiveProtocol.message(LiveProtocol.STATS);
            message.put("server", serverId);
            message.put("state", s.state());
            message.put("cpu", s.cpuAbsolute());
            message.put("memoryBytes", s.memoryBytes());
            message.put("memoryLimitBytes", s.memoryLimitBytes());
            message.put("diskBytes", s.diskBytes());
            message.put("uptimeMillis", s.uptime());
            if (s.network() != null) {
                message.put("rxBytes", s.network().rxBytes());
                message.put("txBytes", s.network().txBytes());
            }
            message.put("atMillis", now);
            publish(async, message);
        } else if (event instanceof WingsEvent.ConsoleOutput output) {
            if (settings.consoleLines() > 0) {
                String key = LiveHub.CONSOLE + serverId;
                async.rpush(key, output.line());
                async.ltrim(key, -settings.consoleLines(), -1);
                async.pexpire(key, Duration.ofHours(1).toMillis());
            }
            ObjectNode message = LiveProtocol.message(LiveProtocol.CONSOLE);
            message.put("server", serverId);
            message.put("line", output.line());
            publish(async, message);
        } else if (event instanceof WingsEvent.TokenExpiring || event instanceof WingsEvent.TokenExpired) {
            // WingsSocketClient sends the new token itself; counted so an operator sees re-auths happen
            reauthentications.increment();
            LOG.debug("Wings token of server {} expiring: re-authenticating", serverId);
        } else if (event instanceof WingsEvent.JwtError error) {
            LOG.warn("Wings refused the token of server {}: {}", serverId, error.message());
        } else if (event instanceof WingsEvent.Disconnected lost) {
            LOG.info("Wings socket of server {} dropped ({} {})", serverId, lost.code(), lost.reason());
        }
        // install output, daemon messages, backups: not part of the live stream
    }

    private void publish(RedisAsyncCommands<String, String> async, ObjectNode message) {
        async.publish(LiveHub.EVENTS + serverId, message.toString());
    }
}
