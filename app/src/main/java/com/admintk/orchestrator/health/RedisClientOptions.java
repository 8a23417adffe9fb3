package com.admintk.orchestrator.health;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * While Redis is unreachable, fail commands at once instead of queueing them: callers (rate limits, health)
 * must see the outage, and a queue that grows without bound would replay stale commands on reconnect.
 */
@Singleton
public class RedisClientOptions implements BeanCreatedEventListener<RedisClient> {
    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return event.getBean();
    }
}
