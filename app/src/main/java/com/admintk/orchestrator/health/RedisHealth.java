package com.admintk.orchestrator.health;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

@Singleton
@Readiness
public class RedisHealth extends DependencyHealth {

    private final StatefulRedisConnection<String, String> connection;

    public RedisHealth(StatefulRedisConnection<String, String> connection) {
        super("redis", Duration.ofSeconds(3));
        this.connection = connection;
    }

    @Override
    protected Map<String, Object> probe() throws Exception {
        String pong = connection.async().ping().get(2, TimeUnit.SECONDS);
        return Map.of("ping", pong);
    }
}
