package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The panel budget is global: two workers, each with its own limiter and Redis connection, share one bucket in one
 * Redis, and the panel sees their combined calls stay within it.
 */
class PanelRateLimiterTest {

    private static final int PER_MINUTE = 600;
    private static final int BURST = 10;
    private static final double PER_SECOND = (PER_MINUTE - BURST) / 60.0;
    private static final double LATENCY_SLOP_SECONDS = 0.3;

    private static EmbeddedRedis redis;
    private static int redisPort;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = EmbeddedRedis.forTests();
        redisPort = redis.port();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void twoWorkersHammeringThePanelNeverExceedTheGlobalRate() throws Exception {
        try (FakePanel panel = new FakePanel()) {
            int id = panel.addServer("order:rate").path("id").asInt();
            RedisClient workerA = RedisClient.create("redis://127.0.0.1:" + redisPort);
            RedisClient workerB = RedisClient.create("redis://127.0.0.1:" + redisPort);
            String key = "test:panel:rate:" + System.nanoTime();
            PanelConfiguration config = panel.configuration().withRateLimit(PER_MINUTE, BURST);
            List<Long> grants = java.util.Collections.synchronizedList(new ArrayList<>());
            PanelClient a = new PanelClient(config,
                    recording(PanelRateLimiter.redis(workerA, key, PER_MINUTE, BURST), grants),
                    new SimpleMeterRegistry());
            PanelClient b = new PanelClient(config,
                    recording(PanelRateLimiter.redis(workerB, key, PER_MINUTE, BURST), grants),
                    new SimpleMeterRegistry());

            Duration run = Duration.ofSeconds(6);
            AtomicInteger byA = new AtomicInteger();
            AtomicInteger byB = new AtomicInteger();
            AtomicInteger refusals = new AtomicInteger();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            long deadline = System.nanoTime() + run.toNanos();
            for (int t = 0; t < 8; t++) {
                PanelClient worker = t % 2 == 0 ? a : b;
                AtomicInteger count = t % 2 == 0 ? byA : byB;
                threads.execute(() -> {
                    while (System.nanoTime() < deadline) {
                        try {
                            worker.getServer(id);
                            count.incrementAndGet();
                        } catch (PanelException.Unavailable refused) {
                            // Temporal's part: wait the next-retry delay the refusal carries, then try again
                            refusals.incrementAndGet();
                            sleep(refused.retryAfter().orElseThrow());
                        }
                    }
                });
            }
            threads.shutdown();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
            workerA.shutdown();
            workerB.shutdown();

            // Where permits are granted the bucket is exact: any interval holds at most burst + its refill.
            assertWithinBucket(sorted(grants), 0, 1);
            List<Long> arrivals = new ArrayList<>(panel.arrivals);
            arrivals.sort(Long::compare);
            double seconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
            double ceiling = BURST + PER_SECOND * seconds;
            System.out.printf("rate test: %d calls at the panel in %.2f s (A %d, B %d); %d refused by the bucket"
                            + " (not sent); bucket ceiling %.1f%n",
                    arrivals.size(), seconds, byA.get(), byB.get(), refusals.get(), ceiling);
            assertTrue(refusals.get() > 0, "the bucket ran empty and refused without waiting");

            // Within any interval the panel saw at most burst + refill for that interval. Permits are granted at the
            // workers; arrivals at the panel jitter by the HTTP latency (first calls also open connections), so the
            // interval gets LATENCY_SLOP of slack: that is measurement, not a leak in the bucket.
            int worst = assertWithinBucket(arrivals, LATENCY_SLOP_SECONDS, 0);
            // ...and the limiter let the workers use the budget rather than starve them.
            assertTrue(arrivals.size() >= 0.6 * ceiling, arrivals.size() + " calls, budget " + ceiling);
            assertTrue(byA.get() > 0 && byB.get() > 0, "both workers were served");
            System.out.printf("rate test: worst excess over steady refill in any interval: %d (burst %d)%n",
                    worst, BURST);
        }
    }

    private static List<Long> sorted(List<Long> times) {
        List<Long> copy = new ArrayList<>(times);
        copy.sort(Long::compare);
        return copy;
    }

    /** Fails if any interval of {@code times} holds more than burst + refill; returns the worst excess over refill. */
    private static int assertWithinBucket(List<Long> times, double slopSeconds, int slopCalls) {
        int worst = 0;
        for (int i = 0; i < times.size(); i++) {
            for (int j = i; j < times.size(); j++) {
                double span = (times.get(j) - times.get(i)) / 1e9;
                int calls = j - i + 1;
                double allowed = BURST + PER_SECOND * (span + slopSeconds) + slopCalls;
                assertTrue(calls <= allowed, calls + " calls in " + span + " s exceed " + allowed);
                worst = Math.max(worst, calls - (int) Math.floor(PER_SECOND * span));
            }
        }
        return worst;
    }

    private static PanelRateLimiter recording(PanelRateLimiter limiter, List<Long> grants) {
        return () -> {
            PanelRateLimiter.Permit permit = limiter.tryAcquire();
            if (permit.granted()) {
                grants.add(System.nanoTime());
            }
            return permit;
        };
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anyMinuteHoldsAtMostTheConfiguredCalls() {
        // The bucket's shape: a full bucket plus a minute of refill is exactly the per-minute budget.
        var config = PanelRateLimiter.bucketConfiguration(200, 10);
        var bandwidth = config.getBandwidths()[0];
        long perMinute = bandwidth.getCapacity()
                + bandwidth.getRefillTokens() * Duration.ofMinutes(1).toNanos() / bandwidth.getRefillPeriodNanos();
        assertTrue(perMinute == 200, "bucket allows " + perMinute + " per minute");
    }
}
