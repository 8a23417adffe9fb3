package com.admintk.orchestrator.pterodactyl;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Permission to make one panel call. Every worker process takes its permits from the same bucket, so the fleet as a
 * whole stays under the panel's per-user limit.
 *
 * <p>It never waits: an activity attempt must not outlive its start-to-close timeout, so an empty bucket is answered
 * at once with the time until the next permit, which the caller hands to Temporal as the next-retry delay.
 */
public interface PanelRateLimiter {

    /** Takes one permit now if there is one; otherwise takes nothing and says when one will be there. */
    Permit tryAcquire();

    /** The limiter's answer: granted, or refused with the time until the bucket holds a permit again. */
    record Permit(boolean granted, Duration refillIn) {
        static final Permit GRANTED = new Permit(true, Duration.ZERO);

        static Permit refused(Duration refillIn) {
            return new Permit(false, refillIn);
        }
    }

    /** No limit: for tests that are not about rate. */
    static PanelRateLimiter unlimited() {
        return () -> Permit.GRANTED;
    }

    /**
     * The bucket as a configuration: {@code burst} permits at most at once, refilled continuously at
     * {@code perMinute - burst} per minute. So any 60 s window holds at most {@code burst + (perMinute - burst)} =
     * {@code perMinute} calls, which a plain "perMinute per minute" bucket would not guarantee (it allows a full
     * bucket plus a minute of refill).
     */
    static BucketConfiguration bucketConfiguration(int perMinute, int burst) {
        int refill = Math.max(1, perMinute - burst);
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(refill, Duration.ofMinutes(1))
                        .initialTokens(burst).build())
                .build();
    }

    /** A bucket kept in Redis under {@code key}, shared by every process pointing at that Redis. */
    static PanelRateLimiter redis(RedisClient redis, String key, int perMinute, int burst) {
        ProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(redis)
                // a stuck Redis must not hold the activity attempt past its timeout either
                .requestTimeout(REDIS_TIMEOUT)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(2)))
                .build();
        Bucket bucket = buckets.builder()
                .build(key.getBytes(StandardCharsets.UTF_8), () -> bucketConfiguration(perMinute, burst));
        return fromBucket(bucket);
    }

    /** A bucket in this process only: correct only when there is a single worker. */
    static PanelRateLimiter local(int perMinute, int burst) {
        return fromBucket(Bucket.builder().addLimit(bucketConfiguration(perMinute, burst).getBandwidths()[0]).build());
    }

    /** How long one Redis round trip for a permit may take before the call fails as retryable. */
    Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private static PanelRateLimiter fromBucket(Bucket bucket) {
        return () -> {
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            return probe.isConsumed() ? Permit.GRANTED
                    : Permit.refused(Duration.ofNanos(Math.max(1, probe.getNanosToWaitForRefill())));
        };
    }
}
