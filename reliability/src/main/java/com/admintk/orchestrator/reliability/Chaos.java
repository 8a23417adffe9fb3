package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.localstack.panel.FaultInjector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos schedule of a run: worker and api SIGKILLs with restarts, Redis and MongoDB stop/start, panel outage
 * windows, and the simulator's random faults on panel requests for the whole load phase. Events are spread over the
 * middle of the run in a shuffled order (fixed seed), each on its own thread, so they may overlap.
 */
final class Chaos {

    private static final Duration STORE_OUTAGE = Duration.ofSeconds(10);
    private static final Duration PANEL_OUTAGE = Duration.ofSeconds(20);

    private final SoakStack stack;
    private final Fleet fleet;
    private final Duration duration;
    private final double faultRate;
    private final ExecutorService events = Executors.newCachedThreadPool();
    private final List<Future<?>> running = new ArrayList<>();
    private final Map<String, AtomicLong> done = new ConcurrentHashMap<>();
    final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Object panelFaults = new Object();
    private final long startNanos = System.nanoTime();

    Chaos(SoakStack stack, Fleet fleet, Duration duration, double faultRate) {
        this.stack = stack;
        this.fleet = fleet;
        this.duration = duration;
        this.faultRate = faultRate;
    }

    /** How many of each event a run of this length asks for (the acceptance minimums for 5 minutes, more when longer). */
    static Map<String, Integer> plan(Duration duration) {
        double minutes = duration.toSeconds() / 60.0;
        Map<String, Integer> plan = new TreeMap<>();
        plan.put("worker_kill", Math.max(5, (int) Math.ceil(minutes)));
        plan.put("api_kill", Math.max(2, (int) Math.ceil(minutes / 2.5)));
        plan.put("redis_restart", Math.max(1, (int) Math.ceil(minutes / 5)));
        plan.put("mongo_restart", Math.max(1, (int) Math.ceil(minutes / 5)));
        plan.put("panel_outage", Math.max(1, (int) Math.ceil(minutes / 2.5)));
        return plan;
    }

    void start() {
        baselineFaults();
        List<String> schedule = new ArrayList<>();
        plan(duration).forEach((kind, n) -> {
            for (int i = 0; i < n; i++) {
                schedule.add(kind);
            }
        });
        Collections.shuffle(schedule, new Random(14));
        long from = duration.toMillis() / 10;
        long until = duration.toMillis() * 8 / 10;
        long step = (until - from) / Math.max(1, schedule.size() - 1);
        for (int i = 0; i < schedule.size(); i++) {
            String kind = schedule.get(i);
            long at = from + i * step;
            running.add(events.submit(() -> {
                sleepUntil(at);
                fire(kind);
            }));
        }
    }

    /** The simulator's random faults for the load phase: 5xx, resets, timeouts and 429s, slow creates, failed installs. */
    private void baselineFaults() {
        synchronized (panelFaults) {
            stack.panel.faults().clear().mixed(faultRate).timeoutHold(Duration.ofSeconds(3)).retryAfterSeconds(2)
                    .slowCreates(Duration.ofSeconds(8), 0.1).installFailureProbability(0.05);
        }
    }

    private void fire(String kind) {
        long at = (System.nanoTime() - startNanos) / 1_000_000_000;
        try {
            String what = switch (kind) {
                case "worker_kill" -> "SIGKILL " + fleet.killWorker() + ", restarted";
                case "api_kill" -> "SIGKILL " + fleet.killApi() + ", restarted";
                case "redis_restart" -> {
                    stack.infra.stopRedis();
                    Fleet.sleep(STORE_OUTAGE.toMillis());
                    stack.infra.startRedis();
                    yield "Redis down " + STORE_OUTAGE.toSeconds() + " s";
                }
                case "mongo_restart" -> {
                    stack.infra.stopMongo();
                    Fleet.sleep(STORE_OUTAGE.toMillis());
                    stack.infra.startMongo();
                    yield "MongoDB down " + STORE_OUTAGE.toSeconds() + " s";
                }
                case "panel_outage" -> {
                    synchronized (panelFaults) {
                        // Down means nothing it is asked does happens: every call 502, none acted on.
                        stack.panel.faults().clear().probability(FaultInjector.Fault.HTTP_502, 1.0).afterProcessingRatio(0);
                    }
                    Fleet.sleep(PANEL_OUTAGE.toMillis());
                    baselineFaults();
                    yield "panel answering 502 to everything for " + PANEL_OUTAGE.toSeconds() + " s";
                }
                default -> throw new IllegalArgumentException(kind);
            };
            done.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
            log.add("t+" + at + "s " + what);
            System.out.println("chaos t+" + at + "s: " + what);
        } catch (RuntimeException e) {
            log.add("t+" + at + "s " + kind + " FAILED: " + e.getMessage());
            System.out.println("chaos t+" + at + "s: " + kind + " failed: " + e);
        }
    }

    /** Waits for every scheduled event to finish (restarts included), then clears the panel's faults for the settle. */
    void finish() throws Exception {
        for (Future<?> event : running) {
            event.get(10, TimeUnit.MINUTES);
        }
        events.shutdown();
        stack.panel.faults().clear();
    }

    Map<String, Long> done() {
        Map<String, Long> copy = new TreeMap<>();
        plan(duration).keySet().forEach(k -> copy.put(k, 0L));
        done.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    private void sleepUntil(long millisFromStart) {
        long wait = millisFromStart - (System.nanoTime() - startNanos) / 1_000_000;
        if (wait > 0) {
            Fleet.sleep(wait);
        }
    }
}
