package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 5 against the simulator: with 20% of the panel's answers failing (500, 502, 504, timeouts, resets,
 * 429, half of the 5xx/timeouts/resets after the request took effect), 50 creates, 50 install probes and 50 deletes through
 * {@link PterodactylActivitiesImpl}, retried as Temporal retries them, leave exactly the intended panel state.
 */
class FaultySimulatorBatchTest {

    private static final int ORDERS = 50;

    @Test
    void fiftyCreatesProbesAndDeletesThroughAFlakyPanelEndInExactlyTheIntendedState() throws Exception {
        try (PanelSimulator sim = PanelSim.start(Duration.ofMillis(300))) {
            PanelClient client = new PanelClient(PanelSim.configuration(sim).withReadTimeout(Duration.ofMillis(800)),
                    PanelRateLimiter.unlimited(), new SimpleMeterRegistry());
            PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(client);
            sim.faults().mixed(0.2).timeoutHold(Duration.ofMillis(1_200)).retryAfterSeconds(1)
                    .afterProcessingRatio(0.5);

            ExecutorService pool = Executors.newFixedThreadPool(8);
            long t0 = System.nanoTime();
            try {
                // ---- creates: half on a fixed allocation of node 1, half placed by deploy in location 2 (node 2)
                TemporalLikeRetry creates = retry();
                List<PanelServerRef> created = all(pool, creates, i -> () -> activities.createServer(ext(i),
                        i % 2 == 0 ? PanelSim.paper("batch " + i, 1000 + i)
                                : PanelSim.paperDeployed("batch " + i, List.of(2)), null));
                long createMs = ms(t0);
                List<SimState.ServerView> afterCreate = sim.state().servers();
                assertEquals(ORDERS, afterCreate.size(), "one server per order, no duplicates: " + externalIds(sim));
                for (int i = 0; i < ORDERS; i++) {
                    assertEquals(1, PanelSim.countExternalId(sim, ext(i)), ext(i));
                    assertEquals(ext(i), created.get(i).externalId());
                    assertEquals(sim.state().serverByExternalId(ext(i)).orElseThrow().id(), created.get(i).id());
                }

                // ---- install probes
                long t1 = System.nanoTime();
                TemporalLikeRetry probes = retry();
                List<PanelServerRef> probed = all(pool, probes, i -> () -> activities.getServer(created.get(i).id(), null));
                long probeMs = ms(t1);
                for (int i = 0; i < ORDERS; i++) {
                    assertEquals(ext(i), probed.get(i).externalId());
                }

                // ---- deletes
                long t2 = System.nanoTime();
                TemporalLikeRetry deletes = retry();
                List<Boolean> deleted = all(pool, deletes, i -> () -> activities.deleteServer(ext(i), null));
                long deleteMs = ms(t2);
                assertEquals(List.of(), sim.state().servers(), "no leftovers");

                List<SimState.RequestRecord> log = sim.state().requests();
                Map<Integer, Long> byStatus = log.stream().collect(Collectors.groupingBy(
                        SimState.RequestRecord::status, TreeMap::new, Collectors.counting()));
                long injected = log.stream().filter(r -> r.status() == 0 || r.status() == 429
                        || r.status() >= 500).count();
                long forced = log.stream().filter(r -> r.method().equals("DELETE") && r.path().endsWith("/force"))
                        .count();
                long createPosts = log.stream().filter(r -> r.method().equals("POST")
                        && r.path().equals("/api/application/servers")).count();
                System.out.printf("faulty batch: %d panel requests, statuses %s (0 = reset); %d failed/throttled"
                                + " answers (%.0f%%); %d create POSTs for %d servers; %d force deletes;"
                                + " deletes that found the server gone already: %d%n",
                        log.size(), byStatus, injected, 100.0 * injected / log.size(), createPosts, ORDERS, forced,
                        deleted.stream().filter(d -> !d).count());
                System.out.printf("faulty batch: creates %s in %d ms; probes %s in %d ms; deletes %s in %d ms;"
                                + " retried failure types %s%n",
                        creates.summary(), createMs, probes.summary(), probeMs, deletes.summary(), deleteMs,
                        countTypes(creates, probes, deletes));
                assertTrue(injected >= 15, "faults were injected: " + byStatus);
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String ext(int i) {
        // order-1 is a substring of order-10..order-19: the panel's filters would confuse them, exact lookups don't
        return "order-" + i;
    }

    private static TemporalLikeRetry retry() {
        return new TemporalLikeRetry(30, Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static String externalIds(PanelSimulator sim) {
        return sim.state().servers().stream().map(SimState.ServerView::externalId).sorted().toList().toString();
    }

    private static Map<String, Long> countTypes(TemporalLikeRetry... retries) {
        List<String> all = new ArrayList<>();
        for (TemporalLikeRetry r : retries) {
            all.addAll(r.retriedFailures);
        }
        return all.stream().collect(Collectors.groupingBy(t -> t, TreeMap::new, Collectors.counting()));
    }

    private static <T> List<T> all(ExecutorService pool, TemporalLikeRetry temporal,
                                   IntFunction<Callable<T>> step) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            Callable<T> activity = step.apply(i);
            futures.add(pool.submit(() -> temporal.run(activity)));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(120, TimeUnit.SECONDS));
        }
        return results;
    }

}
