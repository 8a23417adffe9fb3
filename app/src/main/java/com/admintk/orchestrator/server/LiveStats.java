package com.admintk.orchestrator.server;

import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Redis names that the stats poller shares with the WebSocket's upstream (Wings) owner:
 * <ul>
 *   <li>{@code live:stats:{serverId}}: hash of the latest figures ({@code state}, {@code cpu} (percent of one core),
 *   {@code memoryBytes}, {@code diskBytes}, {@code atMillis}), written by the poller or by the owner of the server's
 *   Wings stream, whichever saw the server last;</li>
 *   <li>{@code live:watched:{serverId}}: exists while someone watches the server over the WebSocket, whose Wings
 *   stream then keeps the hash fresh, so the poller leaves the server alone;</li>
 *   <li>{@code live:events:{serverId}}: pub/sub channel the WebSocket fans out to the server's subscribers (alerts
 *   here).</li>
 * </ul>
 */
public final class LiveStats {

    public static final String STATS_PREFIX = "live:stats:";
    public static final String WATCHED_PREFIX = "live:watched:";
    public static final String EVENTS_PREFIX = "live:events:";

    /** The latest figures of one server; {@code atMillis} is when they were measured. */
    public record Reading(String state, double cpu, long memoryBytes, long diskBytes, long atMillis) {
    }

    private final RedisCommands<String, String> redis;

    LiveStats(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    public static String statsKey(String serverId) {
        return STATS_PREFIX + serverId;
    }

    public static String watchedKey(String serverId) {
        return WATCHED_PREFIX + serverId;
    }

    public static String eventsChannel(String serverId) {
        return EVENTS_PREFIX + serverId;
    }

    boolean watched(String serverId) {
        return redis.exists(watchedKey(serverId)) > 0;
    }

    /** The hash expires: a server that nobody polls or watches any more (suspended, deleted) leaves no old figures. */
    void write(String serverId, Reading reading, Duration keep) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("state", reading.state() == null ? "unknown" : reading.state());
        fields.put("cpu", String.valueOf(reading.cpu()));
        fields.put("memoryBytes", String.valueOf(reading.memoryBytes()));
        fields.put("diskBytes", String.valueOf(reading.diskBytes()));
        fields.put("atMillis", String.valueOf(reading.atMillis()));
        redis.hset(statsKey(serverId), fields);
        redis.pexpire(statsKey(serverId), keep.toMillis());
    }

    /** Empty when nobody wrote figures yet, or when they cannot be read (another writer's half-written hash). */
    Optional<Reading> read(String serverId) {
        Map<String, String> fields = redis.hgetall(statsKey(serverId));
        if (fields == null || !fields.containsKey("atMillis")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Reading(fields.get("state"), number(fields.get("cpu")),
                    (long) number(fields.get("memoryBytes")), (long) number(fields.get("diskBytes")),
                    Long.parseLong(fields.get("atMillis"))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    long publish(String serverId, String event) {
        return redis.publish(eventsChannel(serverId), event);
    }

    private static double number(String value) {
        return value == null || value.isBlank() ? 0 : Double.parseDouble(value);
    }
}
