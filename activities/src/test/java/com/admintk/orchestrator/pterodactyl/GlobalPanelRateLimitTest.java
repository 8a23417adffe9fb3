package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 3 against the simulator. Two worker JVMs ({@link PanelHammer}), each with its own client and Redis
 * limiter on one embedded Redis, never exceed the configured global rate as the simulator counts it; and when the
 * simulator's own limit is lower than ours, its 429s are waited out and never surface as failures.
 *
 * <p>The limiter is a token bucket of {@code burst} tokens refilled at {@code (perMinute - burst)/60} per second, so
 * any interval of length t holds at most {@code burst + refill * t} calls, and any 60 s window at most
 * {@code perMinute}. The run lasts ~12 s, so the check is made for every interval of the run (1 s, 5 s, 10 s, the
 * whole run), which is stricter than checking one minute.
 */
class GlobalPanelRateLimitTest {

    private static final int PER_MINUTE = 1200;
    private static final int BURST = 20;
    private static final double REFILL_PER_SECOND = (PER_MINUTE - BURST) / 60.0;
    /**
     * Permits are granted at the workers, but counted here at their arrival at the panel: a request granted early
     * can arrive late (a descheduled thread, a busy 2-core CI machine), which squeezes the observed window. Allow
     * half a second of refill for that skew (about 10 calls); an ungoverned pair of JVMs would show twice the rate.
     */
    private static final int SLOP_CALLS = (int) Math.ceil(REFILL_PER_SECOND * 0.5);

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
    void twoWorkerProcessesNeverExceedTheConfiguredGlobalRate() throws Exception {
        try (PanelSimulator sim = PanelSim.start(Duration.ofMillis(100))) {
            int serverId = PanelSim.client(sim).createServer(PterodactylActivitiesImpl.newServer("rate-1",
                    PanelSim.paper("rate", 1000))).id();
            sim.state().clearRequests();

            long start = System.currentTimeMillis() + 5_000;   // both JVMs up and connected by then
            long end = start + 12_000;
            String bucket = "test:panel:rate:" + System.nanoTime();
            List<Process> workers = new ArrayList<>();
            List<CompletableFuture<String>> outputs = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Process p = hammer(sim, bucket, 4, start, end, serverId);
                workers.add(p);
                outputs.add(CompletableFuture.supplyAsync(() -> readAll(p)));
            }
            List<String> results = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Process p = workers.get(w);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("worker " + w + " did not finish");
                }
                String out = outputs.get(w).get(10, TimeUnit.SECONDS);
                String line = out.lines().filter(l -> l.startsWith("HAMMER")).findFirst()
                        .orElseThrow(() -> new AssertionError("worker said: " + out));
                results.add(line);
            }

            List<SimState.RequestRecord> seen = sim.state().requests().stream()
                    .sorted(Comparator.comparing(SimState.RequestRecord::at)).toList();
            List<Long> arrivals = seen.stream().map(r -> r.at().toEpochMilli()).toList();
            double runSeconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1000.0;
            double ceiling = BURST + REFILL_PER_SECOND * runSeconds;
            Map<Integer, Long> byStatus = seen.stream()
                    .collect(Collectors.groupingBy(SimState.RequestRecord::status, TreeMap::new,
                            Collectors.counting()));

            int max60 = sim.state().maxRequestsInWindow(Duration.ofSeconds(60), r -> true);
            StringBuilder windows = new StringBuilder();
            for (int w : new int[]{1, 2, 5, 10}) {
                int max = sim.state().maxRequestsInWindow(Duration.ofSeconds(w), r -> true);
                double allowed = BURST + REFILL_PER_SECOND * w + SLOP_CALLS;
                windows.append(String.format(" %ds: %d (bucket allows %.1f);", w, max, allowed));
                assertTrue(max <= allowed, max + " requests in a " + w + " s window, bucket allows " + allowed);
            }
            int worstExcess = assertEveryIntervalWithinBucket(arrivals);

            System.out.printf("global rate: 2 JVMs x 4 threads, limit %d/min burst %d (refill %.2f/s), one Redis"
                            + " bucket; %d requests at the simulator in %.2f s (%.1f/s), statuses %s; workers %s%n",
                    PER_MINUTE, BURST, REFILL_PER_SECOND, seen.size(), runSeconds, seen.size() / runSeconds,
                    byStatus, results);
            System.out.printf("global rate: max in any 60 s window %d vs limit %d (run shorter than 60 s: whole run"
                            + " ceiling burst+refill*t = %.1f); max in windows:%s worst excess over refill in any"
                            + " interval %d (burst %d)%n", max60, PER_MINUTE, ceiling, windows, worstExcess, BURST);

            assertTrue(max60 <= PER_MINUTE);
            assertTrue(seen.size() <= ceiling + SLOP_CALLS, seen.size() + " > " + ceiling);
            assertTrue(seen.size() >= 0.8 * ceiling, "the limiter let the workers use the budget: " + seen.size());
            assertEquals(Map.of(200, (long) seen.size()), byStatus, "no errors, no 429 (panel limit is higher)");
            for (String r : results) {
                assertTrue(r.contains("failed=0"), r);
                assertTrue(!r.contains("ok=0 "), "both workers were served: " + r);
            }
        }
    }

    @Test
    void whenThePanelLimitIsLowerThanOurs429sAreRetriedAfterRetryAfterAndNoneFailsForGood() throws Exception {
        try (PanelSimulator sim = PanelSim.start(Duration.ofMillis(100))) {
            PanelClient setup = PanelSim.client(sim);
            int serverId = setup.createServer(PterodactylActivitiesImpl.newServer("rate-2",
                    PanelSim.paper("rate", 1000))).id();
            // ours: 600/min (10/s); the panel's: 10 per 2 s window (= 300/min, 5/s)
            int panelLimit = 10;
            Duration panelWindow = Duration.ofSeconds(2);
            sim.settings().rateLimits(panelLimit, 720).rateLimitWindow(panelWindow);
            sim.state().clearRequests();
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            PanelClient client = new PanelClient(PanelSim.configuration(sim).withRateLimit(600, 10),
                    PanelRateLimiter.local(600, 10), metrics);
            PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(client);
            TemporalLikeRetry temporal = new TemporalLikeRetry(100, Duration.ofMillis(100), Duration.ofSeconds(2));

            int calls = 50;
            AtomicInteger failures = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(5);
            long started = System.nanoTime();
            List<Future<PanelServerRef>> done = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                done.add(pool.submit(() -> {
                    try {
                        return temporal.run(() -> activities.getServer(serverId, null));
                    } catch (ApplicationFailure f) {
                        failures.incrementAndGet();
                        throw f;
                    }
                }));
            }
            for (Future<PanelServerRef> f : done) {
                assertEquals(serverId, f.get(60, TimeUnit.SECONDS).id());
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - started) / 1e9;

            List<SimState.RequestRecord> seen = sim.state().requests();
            long throttled = seen.stream().filter(r -> r.status() == 429).count();
            long served = seen.stream().filter(r -> r.status() == 200).count();
            int maxServedPerWindow = sim.state().maxRequestsInWindow(panelWindow, r -> r.status() == 200);
            long clientWaits = metrics.find("panel.ratelimit.wait").tag("source", "panel").timers().stream()
                    .mapToLong(t -> t.count()).sum();
            System.out.printf("panel limit below ours: %d/%.0f s at the panel vs ours 600/min; %d calls in %.1f s;"
                            + " panel answered %d x 200, %d x 429; 429s handed to Temporal as a Retry-After delay %d;"
                            + " activity retries %d (%s); failures surfaced: %d; max served per panel window %d%n",
                    panelLimit, (double) panelWindow.toSeconds(), calls, seconds, served, throttled, clientWaits,
                    temporal.retriedFailures.size(), temporal.summary(), failures.get(), maxServedPerWindow);

            assertTrue(throttled > 0, "the panel's lower limit was hit");
            assertEquals(0, failures.get(), "no 429 ended a call for good");
            assertEquals(throttled, clientWaits, "every 429 became a next-retry delay");
            assertEquals(calls, served, "every call was answered once");
            assertTrue(maxServedPerWindow <= panelLimit + 1, "window boundary jitter at most one");
            assertTrue(temporal.retriedFailures.stream().allMatch(PanelFailures.UNAVAILABLE::equals),
                    temporal.retriedFailures.toString());
        }
    }

    private static Process hammer(PanelSimulator sim, String bucket, int threads, long start, long end,
                                  int serverId) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), PanelHammer.class.getName(),
                sim.baseUrl(), sim.configuration().applicationKey(), sim.configuration().clientKey(),
                "redis://127.0.0.1:" + redisPort, bucket, Integer.toString(PER_MINUTE), Integer.toString(BURST),
                Integer.toString(threads), Long.toString(start), Long.toString(end), Integer.toString(serverId));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String readAll(Process p) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            return r.lines().collect(Collectors.joining("\n"));
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    /** Every interval [i, j] of arrivals holds at most burst + refill * span (+ slop); returns the worst excess. */
    private static int assertEveryIntervalWithinBucket(List<Long> arrivalsMs) {
        int worst = 0;
        for (int i = 0; i < arrivalsMs.size(); i++) {
            for (int j = i; j < arrivalsMs.size(); j++) {
                double span = (arrivalsMs.get(j) - arrivalsMs.get(i)) / 1000.0;
                int calls = j - i + 1;
                double allowed = BURST + REFILL_PER_SECOND * span + SLOP_CALLS;
                assertTrue(calls <= allowed, calls + " calls in " + span + " s exceed " + allowed);
                worst = Math.max(worst, calls - (int) Math.floor(REFILL_PER_SECOND * span));
            }
        }
        return worst;
    }
}
