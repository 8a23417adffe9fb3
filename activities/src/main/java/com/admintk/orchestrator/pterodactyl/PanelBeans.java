package com.admintk.orchestrator.pterodactyl;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the panel client: configuration, the fleet-wide rate limiter, metrics. */
@Factory
@Requires(property = "panel.url")
class PanelBeans {

    private static final Logger LOG = LoggerFactory.getLogger(PanelBeans.class);

    /**
     * The Redis bucket when Redis is configured (every worker shares it); otherwise a bucket in this process, which
     * only keeps the promise when a single worker runs.
     */
    @Singleton
    PanelRateLimiter panelRateLimiter(PanelConfiguration config, BeanProvider<RedisClient> redis) {
        if (redis.isPresent()) {
            return PanelRateLimiter.redis(redis.get(), config.rateLimitKey(), config.rateLimitPerMinute(),
                    config.rateLimitBurst());
        }
        LOG.warn("No Redis configured: the panel rate limit ({}/min) is per process, not global",
                config.rateLimitPerMinute());
        return PanelRateLimiter.local(config.rateLimitPerMinute(), config.rateLimitBurst());
    }

    @Singleton
    PanelClient panelClient(PanelConfiguration config, PanelRateLimiter limiter,
                            BeanProvider<MeterRegistry> registry, BeanProvider<OpenTelemetry> telemetry) {
        return new PanelClient(config, limiter, registry.isPresent() ? registry.get() : Metrics.globalRegistry,
                telemetry.isPresent() ? telemetry.get() : OpenTelemetry.noop());
    }
}
