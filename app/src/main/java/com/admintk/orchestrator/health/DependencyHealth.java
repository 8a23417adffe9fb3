package com.admintk.orchestrator.health;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import org.reactivestreams.Publisher;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A readiness check of one external dependency. The probe runs off the event loop with a hard timeout: a dead
 * dependency must make readiness DOWN quickly, not hang the health endpoint until a driver gives up.
 */
abstract class DependencyHealth implements HealthIndicator {

    private static final ExecutorService PROBES = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "health-probe");
        thread.setDaemon(true);
        return thread;
    });

    private final String name;
    private final Duration timeout;

    DependencyHealth(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
    }

    /** Talks to the dependency; returns details to show, throws when it is unreachable. */
    protected abstract Map<String, Object> probe() throws Exception;

    @Override
    public Publisher<HealthResult> getResult() {
        CompletableFuture<HealthResult> result = CompletableFuture
                .supplyAsync(this::check, PROBES)
                .completeOnTimeout(down("no answer within " + timeout.toMillis() + " ms"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return Publishers.fromCompletableFuture(result);
    }

    private HealthResult check() {
        long start = System.nanoTime();
        try {
            Map<String, Object> details = new LinkedHashMap<>(probe());
            details.put("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return HealthResult.builder(name, HealthStatus.UP).details(details).build();
        } catch (Exception e) {
            return down(e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private HealthResult down(String reason) {
        return HealthResult.builder(name, HealthStatus.DOWN).details(Map.of("error", reason)).build();
    }
}
