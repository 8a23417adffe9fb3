package com.admintk.orchestrator.notification;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Which notifications already went out, in Redis ({@code notification:sent:{channel}:{key}}, expiring after a week,
 * longer than any activity retries). Marked after the send, so a crash in between sends twice rather than never;
 * receivers get the key (Message-ID, delivery id, event id) to drop that rare repeat.
 */
@Singleton
public class SentNotifications {

    static final Duration KEEP = Duration.ofDays(7);

    private final StatefulRedisConnection<String, String> redis;

    public SentNotifications(StatefulRedisConnection<String, String> redis) {
        this.redis = redis;
    }

    public boolean wasSent(String channel, String notificationKey) {
        return redis.sync().exists(redisKey(channel, notificationKey)) > 0;
    }

    public void markSent(String channel, String notificationKey) {
        redis.sync().set(redisKey(channel, notificationKey), String.valueOf(System.currentTimeMillis()),
                SetArgs.Builder.ex(KEEP));
    }

    static String redisKey(String channel, String notificationKey) {
        return "notification:sent:" + channel + ":" + notificationKey;
    }
}
