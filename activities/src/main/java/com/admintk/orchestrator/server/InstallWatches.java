package com.admintk.orchestrator.server;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The install watch list in Redis, one hash ({@link InstallEventsSettings#key()}): field = panel server id (prefixed
 * {@code region/} outside the default region, since each panel counts its own ids), value =
 * {@code uuid TAB workflowId TAB listedAtMillis}. Written by the provisioning's activities, read by the install
 * watcher. Hash fields have no expiry of their own, hence the listing time: the watcher drops entries older than
 * {@link InstallEventsSettings#watchTtl()}.
 *
 * <p>Metrics: {@code installs_seen_total{by="event"|"poll"}}, how provisionings learnt that their install finished
 * (the watcher's signal, or their own polling while the server was listed), both registered at 0.
 */
@Singleton
public class InstallWatches {

    /** One listed server; {@code region} null for the default region. */
    public record Watch(int panelServerId, String region, String panelServerUuid, String workflowId,
                        long listedAtMillis) {

        /** The field of the hash, and the watcher's name for it. */
        public String key() {
            return field(panelServerId, region);
        }
    }

    static String field(int panelServerId, String region) {
        return region == null ? String.valueOf(panelServerId) : region + "/" + panelServerId;
    }

    private final RedisCommands<String, String> redis;
    private final InstallEventsSettings settings;
    private final Counter byEvent;
    private final Counter byPoll;

    public InstallWatches(StatefulRedisConnection<String, String> redis, InstallEventsSettings settings,
                          MeterRegistry registry) {
        this.redis = redis.sync();
        this.settings = settings;
        this.byEvent = seen(registry, "event");
        this.byPoll = seen(registry, "poll");
    }

    private static Counter seen(MeterRegistry registry, String by) {
        return Counter.builder("installs.seen").description("Finished installs by how the provisioning learnt of "
                + "them: the Wings event (signalled by the install watcher) or its own polling").tag("by", by)
                .register(registry);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public InstallEventsSettings settings() {
        return settings;
    }

    public void watch(int panelServerId, String region, String panelServerUuid, String workflowId) {
        redis.hset(settings.key(), field(panelServerId, region),
                panelServerUuid + "\t" + workflowId + "\t" + System.currentTimeMillis());
    }

    /** Whether the server was listed. */
    public boolean unwatch(int panelServerId, String region) {
        return unwatch(field(panelServerId, region));
    }

    /** Whether the entry {@code key} ({@link Watch#key()}) was listed. */
    public boolean unwatch(String key) {
        Long removed = redis.hdel(settings.key(), key);
        return removed != null && removed > 0;
    }

    /** Every listed server; an unreadable entry is dropped (nobody could signal for it). */
    public List<Watch> all() {
        Map<String, String> entries = redis.hgetall(settings.key());
        List<Watch> watches = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            String[] parts = entry.getValue().split("\t");
            try {
                String field = entry.getKey();
                int slash = field.indexOf('/');
                watches.add(new Watch(Integer.parseInt(field.substring(slash + 1)),
                        slash < 0 ? null : field.substring(0, slash), parts[0], parts[1], Long.parseLong(parts[2])));
            } catch (RuntimeException unreadable) {
                redis.hdel(settings.key(), entry.getKey());
            }
        }
        return watches;
    }

    public void seenByEvent() {
        byEvent.increment();
    }

    public void seenByPoll() {
        byPoll.increment();
    }
}
