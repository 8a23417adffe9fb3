package com.admintk.orchestrator.server;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.serde.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Thin adapter from the suspend and terminate children to the live WebSocket hub: one publish on {@link #CHANNEL},
 * which every API instance subscribes to and answers by ending each socket's watch of the server. A publish has no
 * memory, so a repeat is harmless (nothing is left to close).
 */
@Singleton
public class LiveSessionActivitiesImpl implements LiveSessionActivities {

    /** The channel the hub listens on, body {@code {"server":"<serverId>","reason":"<error code>"}}. */
    public static final String CHANNEL = "live:close";

    private static final Logger LOG = LoggerFactory.getLogger(LiveSessionActivitiesImpl.class);

    private final StatefulRedisConnection<String, String> redis;
    private final ObjectMapper json;

    public LiveSessionActivitiesImpl(StatefulRedisConnection<String, String> redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    @Override
    public void closeServerSessions(String serverId, String reason) {
        String message;
        try {
            message = json.writeValueAsString(Map.of("server", serverId, "reason", reason));
        } catch (IOException unwritable) {
            throw ApplicationFailure.newNonRetryableFailure("live close not written: " + unwritable.getMessage(),
                    "LiveCloseUnwritable");
        }
        try {
            long instances = redis.sync().publish(CHANNEL, message);
            LOG.info("server {}: live sessions closed ({}) on {} API instances", serverId, reason, instances);
        } catch (RedisException down) {
            throw ApplicationFailure.newFailureWithCause("Redis publish failed: " + down.getMessage(),
                    "LiveCloseUnavailable", down);
        }
    }
}
