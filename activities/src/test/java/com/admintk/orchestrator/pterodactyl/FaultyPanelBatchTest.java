package com.admintk.orchestrator.pterodactyl;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a fifth of the panel's answers failing (503, resets, 429, 502 after acting, answers later than our timeout),
 * 50 creates, 50 install probes and 50 deletes through the activities, retried the way Temporal retries retryable
 * failures, leave the panel exactly as intended: one server per order, each found, then none.
 */
class FaultyPanelBatchTest {

    private static final int ORDERS = 50;
    private final AtomicInteger attempts = new AtomicInteger();

    @Test
    void aBatchThroughAFlakyPanelEndsInExactlyTheIntendedState() throws Exception {
        try (FakePanel panel = new FakePanel()) {
            panel.pageSize = 50;
            panel.lateAnswerMillis = 700;
            PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(new PanelClient(
                    panel.configuration().withReadTimeout(Duration.ofMillis(300)), PanelRateLimiter.unlimited(),
                    new SimpleMeterRegistry()));
            panel.faultRate = 0.2;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<PanelServerRef> created = all(pool, i -> activities.createServer("order:" + i, spec(i), null));
                assertEquals(ORDERS, panel.servers.size(), "one server per order");
                for (int i = 0; i < ORDERS; i++) {
                    assertEquals(1, panel.serversWithExternalId("order:" + i));
                    assertEquals("order:" + i, created.get(i).externalId());
                }

                List<PanelServerRef> probed = all(pool, i -> activities.getServer(created.get(i).id(), null));
                for (int i = 0; i < ORDERS; i++) {
                    assertEquals("order:" + i, probed.get(i).externalId());
                }

                all(pool, i -> activities.deleteServer("order:" + i, null));
                assertEquals(0, panel.servers.size());
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("faulty batch: %d activity attempts for %d calls; faults injected %s%n",
                    attempts.get(), 3 * ORDERS, panel.faults);
            assertTrue(panel.faults.values().stream().mapToInt(AtomicInteger::get).sum() > 10);
        }
    }

    private interface Step<T> {
        T run(int i) throws Exception;
    }

    private <T> List<T> all(ExecutorService pool, Step<T> step) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            int order = i;
            futures.add(pool.submit(retried(() -> step.run(order))));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    /** Temporal's part: repeat the activity while it fails retryably. */
    private <T> Callable<T> retried(Callable<T> activity) {
        return () -> {
            for (int attempt = 1; ; attempt++) {
                attempts.incrementAndGet();
                try {
                    return activity.call();
                } catch (ApplicationFailure failure) {
                    if (failure.isNonRetryable() || PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(failure.getType()) || attempt >= 30) {
                        throw failure;
                    }
                } catch (RuntimeException unexpected) {
                    if (attempt >= 30) {
                        throw unexpected;
                    }
                }
            }
        };
    }

    private static ServerSpec spec(int i) {
        return new ServerSpec("server " + i, null, 12, 3, "ghcr.io/pterodactyl/yolks:java_21", "java",
                Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest"),
                new ServerSpec.Limits(1024, 0, 1024, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), 1000 + i,
                null, null);
    }
}
