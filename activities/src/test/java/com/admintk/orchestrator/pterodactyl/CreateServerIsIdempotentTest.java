package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 2 against the simulator: external_id makes a create idempotent, also when the answer of a create that
 * did happen is lost to a client-side timeout.
 */
class CreateServerIsIdempotentTest {

    private PanelSimulator sim;

    @BeforeEach
    void start() {
        sim = PanelSim.start(Duration.ofMillis(200));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void creatingAServerTwiceWithOneExternalIdYieldsOneServer() {
        PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(PanelSim.client(sim));
        PanelServerRef first = activities.createServer("order-dup", PanelSim.paper("dup", 1000), null);
        // the retry of a saga step: same external_id, and here even another placement
        PanelServerRef second = activities.createServer("order-dup", PanelSim.paper("dup", 1001), null);

        assertEquals(first.id(), second.id(), "the second create resolves to the first server");
        assertEquals(first.uuid(), second.uuid());
        assertEquals(1, PanelSim.countExternalId(sim, "order-dup"));
        assertEquals(1, sim.state().servers().size());
        List<SimState.RequestRecord> creates = posts();
        assertEquals(List.of(201, 422), creates.stream().map(SimState.RequestRecord::status).toList(),
                "the panel saw the second create and refused it as external_id unique");
        System.out.printf("idempotent create: 2 creates -> %d server(s); panel answered %s%n",
                sim.state().servers().size(), creates.stream().map(SimState.RequestRecord::status).toList());
    }

    @Test
    void aCreateThatTimesOutClientSideButHappensLeavesExactlyOneServerAfterTheRetry() throws Exception {
        Duration readTimeout = Duration.ofMillis(500);
        Duration createDelay = Duration.ofMillis(2_000);
        PanelClient client = new PanelClient(PanelSim.configuration(sim).withReadTimeout(readTimeout),
                PanelRateLimiter.unlimited(), new SimpleMeterRegistry());
        PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(client);
        TemporalLikeRetry temporal = new TemporalLikeRetry(10, Duration.ofMillis(50), Duration.ofMillis(500));

        // the panel creates the row at once and answers only after 2 s: our 0.5 s read timeout fires first
        sim.faults().slowNextCreates(1, createDelay);
        long started = System.nanoTime();
        PanelServerRef ref = temporal.run(() -> activities.createServer("order-slow", PanelSim.paper("slow", 1002), null));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertEquals("order-slow", ref.externalId());
        assertEquals(1, PanelSim.countExternalId(sim, "order-slow"));
        assertEquals(ref.id(), sim.state().serverByExternalId("order-slow").orElseThrow().id());
        assertTrue(elapsedMs < createDelay.toMillis(), "resolved by lookup, not by waiting the slow answer out");

        // and Temporal retrying the whole activity once more (e.g. the worker died after the lookup) changes nothing
        PanelServerRef again = temporal.run(() -> activities.createServer("order-slow", PanelSim.paper("slow", 1003), null));
        assertEquals(ref.id(), again.id());
        assertEquals(1, PanelSim.countExternalId(sim, "order-slow"));
        assertEquals(1, sim.state().servers().size());

        // the panel's view: the slow POST (answered 201 after our timeout), the exact lookup, the repeat (422)
        Thread.sleep(createDelay.toMillis());
        List<Integer> statuses = posts().stream().map(SimState.RequestRecord::status).toList();
        long lookups = sim.state().requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith("/servers/external/order-slow")).count();
        assertEquals(List.of(201, 422), statuses);
        assertTrue(lookups >= 1);
        System.out.printf("timed-out create: read timeout %d ms, create answered after %d ms; resolved in %d ms;"
                        + " %s; POST statuses %s, %d external_id lookups; servers with the id: %d%n",
                readTimeout.toMillis(), createDelay.toMillis(), elapsedMs, temporal.summary(), statuses, lookups,
                PanelSim.countExternalId(sim, "order-slow"));
    }

    @Test
    void whenTheLookupAfterATimeoutFindsNothingYetTheRetryStillEndsWithOneServer() throws Exception {
        // The answer is lost AND the lookup right after it fails too (504): the activity fails retryably, Temporal
        // retries, the repeat create gets 422 unique and resolves to the server the first attempt made.
        PanelClient client = new PanelClient(PanelSim.configuration(sim).withReadTimeout(Duration.ofMillis(400)),
                PanelRateLimiter.unlimited(), new SimpleMeterRegistry());
        PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(client);
        TemporalLikeRetry temporal = new TemporalLikeRetry(10, Duration.ofMillis(50), Duration.ofMillis(500));
        sim.faults().slowNextCreates(1, Duration.ofMillis(1_500));
        sim.faults().pathFilter("/servers/external/").failNext(
                com.admintk.orchestrator.localstack.panel.FaultInjector.Fault.HTTP_504, 1);

        PanelServerRef ref = temporal.run(() -> activities.createServer("order-lost", PanelSim.paper("lost", 1004), null));

        assertEquals(1, PanelSim.countExternalId(sim, "order-lost"));
        assertEquals(ref.id(), sim.state().serverByExternalId("order-lost").orElseThrow().id());
        assertEquals(2, temporal.attempts.get(), temporal.summary());
        System.out.printf("timed-out create with failed lookup: %s; servers with the id: %d%n", temporal.summary(),
                PanelSim.countExternalId(sim, "order-lost"));
    }

    private List<SimState.RequestRecord> posts() {
        return sim.state().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/api/application/servers"))
                .sorted(java.util.Comparator.comparing(SimState.RequestRecord::at)).toList(); // logged on answer
    }
}
