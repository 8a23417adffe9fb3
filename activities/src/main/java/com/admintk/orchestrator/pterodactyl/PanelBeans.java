package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.security.SecretCipher;
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

import java.util.ArrayList;
import java.util.List;

/**
 * Wires the panel clients: one per region (the default one of {@code panel.*}, and each of {@code panels.*}), each
 * with its own fleet-wide rate limiter, keys decrypted when given as ciphertext.
 */
@Factory
@Requires(property = "panel.url")
class PanelBeans {

    private static final Logger LOG = LoggerFactory.getLogger(PanelBeans.class);

    /** The default region's bucket. */
    @Singleton
    PanelRateLimiter panelRateLimiter(PanelConfiguration config, BeanProvider<RedisClient> redis) {
        return limiter(config, redis);
    }

    /** The default region's client: everything that is not about a particular server's region uses it. */
    @Singleton
    PanelClient panelClient(PanelConfiguration config, PanelRateLimiter limiter, BeanProvider<SecretCipher> cipher,
                            BeanProvider<MeterRegistry> registry, BeanProvider<OpenTelemetry> telemetry) {
        return client(decrypted(config, cipher), limiter, registry, telemetry);
    }

    @Singleton
    PanelRegions panelRegions(PanelClient defaultClient, PanelRateLimiter defaultLimiter,
                              PanelRegionDefaults defaults, List<PanelRegionConfiguration> others,
                              BeanProvider<RedisClient> redis, BeanProvider<SecretCipher> cipher,
                              BeanProvider<MeterRegistry> registry, BeanProvider<OpenTelemetry> telemetry) {
        List<PanelRegions.Region> regions = new ArrayList<>();
        regions.add(new PanelRegions.Region(defaults.region(), defaultClient, defaultLimiter, defaults.locations()));
        for (PanelRegionConfiguration region : others) {
            PanelConfiguration panel = decrypted(region.panel(), cipher);
            if (panel.rateLimitKey().equals(defaultClient.configuration().rateLimitKey())) {
                // One bucket for two panels would let one region's burst slow the other.
                throw new IllegalArgumentException("panels." + region.name() + ".rate-limit-key must differ from"
                        + " panel.rate-limit-key");
            }
            PanelRateLimiter limiter = limiter(panel, redis);
            regions.add(new PanelRegions.Region(region.name(), client(panel, limiter, registry, telemetry), limiter,
                    region.locations()));
        }
        PanelRegions configured = new PanelRegions(regions);
        LOG.info("Panel regions: {} (default {})", configured.names(), configured.defaultRegion());
        return configured;
    }

    private static PanelRateLimiter limiter(PanelConfiguration config, BeanProvider<RedisClient> redis) {
        if (redis.isPresent()) {
            return PanelRateLimiter.redis(redis.get(), config.rateLimitKey(), config.rateLimitPerMinute(),
                    config.rateLimitBurst());
        }
        LOG.warn("No Redis configured: the panel rate limit ({}/min) is per process, not global",
                config.rateLimitPerMinute());
        return PanelRateLimiter.local(config.rateLimitPerMinute(), config.rateLimitBurst());
    }

    private static PanelClient client(PanelConfiguration config, PanelRateLimiter limiter,
                                      BeanProvider<MeterRegistry> registry, BeanProvider<OpenTelemetry> telemetry) {
        return new PanelClient(config, limiter, registry.isPresent() ? registry.get() : Metrics.globalRegistry,
                telemetry.isPresent() ? telemetry.get() : OpenTelemetry.noop());
    }

    /** Keys "encrypted at rest": a value given as {@code enc:v1:…} is opened with the secrets' key ring. */
    static PanelConfiguration decrypted(PanelConfiguration config, BeanProvider<SecretCipher> cipher) {
        if (!SecretCipher.isEncrypted(config.applicationKey()) && !SecretCipher.isEncrypted(config.clientKey())) {
            return config;
        }
        SecretCipher keys = cipher.get();
        return config.withKeys(open(keys, config.applicationKey()), open(keys, config.clientKey()));
    }

    private static String open(SecretCipher cipher, String value) {
        return SecretCipher.isEncrypted(value) ? cipher.decrypt(value) : value;
    }
}
