package com.admintk.orchestrator.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in Redis (bucket4j, compare-and-swap over Lettuce), so every API instance draws from the same
 * budget. Buckets refill all at once each minute, which makes "N per minute" exact rather than smoothed.
 */
@Singleton
public class RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    /** The outcome of one attempt, with what the RateLimit-* headers need. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {
    }

    private static final int MAX_LOCAL_BUCKETS = 100_000;

    private final RedisClient redis;
    private final RateLimitSettings settings;
    private final Map<String, Bucket> local = new ConcurrentHashMap<>();
    private final Map<String, BucketProxy> proxies = new ConcurrentHashMap<>();
    private volatile ProxyManager<byte[]> buckets;

    public RateLimiter(RedisClient redis, RateLimitSettings settings) {
        this.redis = redis;
        this.settings = settings;
    }

    /**
     * Takes one token from the bucket {@code kind:key} holding {@code perMinute}. When Redis cannot answer the
     * request is let through (null): an outage of the limiter must not become an outage of the API; readiness
     * already reports Redis down.
     */
    @Nullable
    public Decision tryConsume(String kind, String key, long perMinute) {
        try {
            ConsumptionProbe probe = shared(kind, key, perMinute).tryConsumeAndReturnRemaining(1);
            long reset = seconds(probe.getNanosToWaitForReset());
            return new Decision(probe.isConsumed(), perMinute, probe.getRemainingTokens(), reset,
                    probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
        } catch (RuntimeException e) {
            LOG.warn("rate limiter unavailable, letting the request through: {}", e.toString());
            return null;
        }
    }

    /**
     * Like {@link #tryConsume}, but while Redis cannot answer the budget is counted in this process instead of
     * passing everything: each API instance then allows {@code perMinute} on its own. For the budgets that guard
     * credentials (logins, second-factor codes), where a guessing run during a Redis outage must still be slowed.
     */
    public Decision tryConsumeOrLocal(String kind, String key, long perMinute) {
        Decision shared = tryConsume(kind, key, perMinute);
        if (shared != null) {
            return shared;
        }
        if (local.size() > MAX_LOCAL_BUCKETS) {
            local.clear(); // a flood of distinct keys must not grow memory; the buckets start full again
        }
        Bucket bucket = local.computeIfAbsent(kind + ":" + key + ":" + perMinute, any -> Bucket.builder()
                .addLimit(everyMinute(perMinute)).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return new Decision(probe.isConsumed(), perMinute, probe.getRemainingTokens(),
                seconds(probe.getNanosToWaitForReset()),
                probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
    }

    /**
     * The Redis bucket's proxy, kept per bucket so that concurrent requests on one bucket (one store, one caller IP)
     * are batched: bucket4j merges the requests waiting on a proxy into one compare-and-swap round instead of
     * contending, without loosening the limit.
     */
    private BucketProxy shared(String kind, String key, long perMinute) {
        if (proxies.size() > MAX_LOCAL_BUCKETS) {
            proxies.clear(); // a flood of distinct keys must not grow memory; the buckets themselves live in Redis
        }
        String name = settings.getKeyPrefix() + kind + ":" + key;
        return proxies.computeIfAbsent(name + "\n" + perMinute, any -> {
            BucketConfiguration configuration = BucketConfiguration.builder().addLimit(everyMinute(perMinute)).build();
            return buckets().builder().withOptimization(Optimizations.batching())
                    .build(name.getBytes(StandardCharsets.UTF_8), () -> configuration);
        });
    }

    /** {@code perMinute} tokens, all refilled at once each minute. */
    private static Bandwidth everyMinute(long perMinute) {
        return Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, Duration.ofMinutes(1))
                .initialTokens(perMinute).build();
    }

    private ProxyManager<byte[]> buckets() {
        ProxyManager<byte[]> current = buckets;
        if (current == null) {
            synchronized (this) {
                if (buckets == null) {
                    buckets = Bucket4jLettuce.casBasedBuilder(redis)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(90)))
                            .requestTimeout(Duration.ofSeconds(2))
                            .build();
                }
                current = buckets;
            }
        }
        return current;
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    @PreDestroy
    void close() {
        proxies.clear();
        buckets = null;
    }
}
