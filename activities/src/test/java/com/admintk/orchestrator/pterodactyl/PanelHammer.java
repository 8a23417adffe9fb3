package com.admintk.orchestrator.pterodactyl;

import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker process for {@link GlobalPanelRateLimitTest}: its own {@link PanelClient} and Redis-backed
 * {@link PanelRateLimiter}, hammering the panel from several threads between two wall-clock instants.
 *
 * <p>An empty bucket fails a call at once with the time until the next permit; each thread then waits that long, as
 * Temporal waits out the next-retry delay of a refused activity attempt, and tries again.
 *
 * <p>Args: panelUrl applicationKey clientKey redisUri bucketKey perMinute burst threads startEpochMs endEpochMs
 * serverId. Prints one line {@code HAMMER ok=<n> refused=<n> failed=<n> first=<message>} at the end.
 */
public final class PanelHammer {

    private PanelHammer() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String appKey = args[1];
        String clientKey = args[2];
        String redisUri = args[3];
        String bucketKey = args[4];
        int perMinute = Integer.parseInt(args[5]);
        int burst = Integer.parseInt(args[6]);
        int threads = Integer.parseInt(args[7]);
        long start = Long.parseLong(args[8]);
        long end = Long.parseLong(args[9]);
        int serverId = Integer.parseInt(args[10]);

        RedisClient redis = RedisClient.create(redisUri);
        PanelConfiguration config = PanelConfiguration.of(url, appKey, clientKey).withRateLimit(perMinute, burst);
        PanelClient panel = new PanelClient(config,
                PanelRateLimiter.redis(redis, bucketKey, config.rateLimitPerMinute(), config.rateLimitBurst()),
                new SimpleMeterRegistry());
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<String> firstFailure = new ArrayList<>();
        // warm up the connection pool and Redis connection before the start line, without taking permits
        Thread.sleep(Math.max(0, start - System.currentTimeMillis()));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int n = t;
            Thread worker = new Thread(() -> {
                while (System.currentTimeMillis() < end) {
                    try {
                        if (n % 2 == 0) {
                            panel.getServer(serverId);
                        } else {
                            panel.getEgg(1, 3);
                        }
                        ok.incrementAndGet();
                    } catch (PanelException.Unavailable e) {
                        if (e.reason() != PanelException.Unavailable.Reason.RATE_LIMITED || e.httpStatus() != 0
                                || e.retryAfter().isEmpty()) {
                            failed.incrementAndGet();
                            remember(firstFailure, e);
                            continue;
                        }
                        refused.incrementAndGet();
                        try {
                            Thread.sleep(Math.max(1, e.retryAfter().get().toMillis()));
                        } catch (InterruptedException stop) {
                            return;
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        remember(firstFailure, e);
                    }
                }
            }, "hammer-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join(Duration.ofMinutes(2).toMillis());
        }
        redis.shutdown();
        System.out.println("HAMMER ok=" + ok.get() + " refused=" + refused.get() + " failed=" + failed.get() + " first="
                + (firstFailure.isEmpty() ? "-" : firstFailure.get(0).replace('\n', ' ')));
        System.out.flush();
        System.exit(0);
    }

    private static void remember(List<String> firstFailure, RuntimeException e) {
        synchronized (firstFailure) {
            if (firstFailure.isEmpty()) {
                firstFailure.add(e.toString());
            }
        }
    }
}
