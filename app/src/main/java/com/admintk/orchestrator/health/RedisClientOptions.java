package com.admintk.orchestrator.health;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * While Redis is unreachable, fail commands at once instead of queueing them: callers (rate limits, health)
 * must see the outage, and a queue that grows without bound would replay stale commands on reconnect. A Redis that
 * accepts connections but does not answer fails each command after {@link DependencyTimeouts#redisCommand()}
 * instead of Lettuce's 60 s, so no request hangs on it.
 */
@Singleton
public class RedisClientOptions implements BeanCreatedEventListener<RedisClient> {

    private final DependencyTimeouts timeouts;

    public RedisClientOptions(DependencyTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    @Override
    public RedisClient onCreated(BeanCreatedEvent<RedisClient> event) {
        RedisClient client = event.getBean();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeouts.redisCommand()))
                .socketOptions(SocketOptions.builder().connectTimeout(timeouts.redisCommand()).build())
                .build());
        return event.getBean();
    }
}
