package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.order.PlanPorts;
import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.pterodactyl.PanelConfiguration;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelRateLimiter;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.PterodactylActivitiesImpl;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rust's four allocations, with the real client, the real reservations in Redis and the panel simulator: capacity
 * counts four free ports per server, two reservations never share one, the create sends {@code allocation.additional}
 * and the panel assigns them, a taken one is refused and picked again, and a delete frees them.
 */
class SeveralPortsAgainstSimulatorTest {

    /** The simulator's nodes have ports 28015-28054: ten servers of four ports each per node. */
    private static final CapacityDemand RUST = new CapacityDemand("rust-4", 1024, 2048, List.of(1, 2),
            List.of("28015-28054"), 4);
    private static final PlanPorts PORTS = new PlanPorts(4, Map.of("QUERY_PORT", 1, "RCON_PORT", 2, "APP_PORT", 3));

    private static EmbeddedRedis redis;
    private PanelSimulator sim;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> connection;
    private PanelClient client;
    private Capacity capacity;
    private PterodactylActivitiesImpl activities;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.forTests();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void start() {
        sim = new PanelSimulator(PanelSimulator.config().port(0).installTime(Duration.ofMillis(100))
                .rateLimitPerMinute(100_000).clientRateLimitPerMinute(100_000).build()).start();
        client = new PanelClient(PanelConfiguration.of(sim.baseUrl(), sim.configuration().applicationKey(),
                sim.configuration().clientKey()), PanelRateLimiter.unlimited(), new SimpleMeterRegistry());
        redisClient = RedisClient.create(redis.uri());
        connection = redisClient.connect();
        connection.sync().flushall();
        capacity = new Capacity("default", client, connection, new CapacitySettings(Duration.ZERO, Duration.ofMinutes(10),
                Duration.ofSeconds(1)), new SimpleMeterRegistry());
        activities = new PterodactylActivitiesImpl(client);
    }

    @AfterEach
    void stop() {
        connection.close();
        redisClient.shutdown();
        sim.close();
    }

    @Test
    void capacityCountsFourFreePortsPerServerAndReservationsNeverShareOne() {
        assertEquals(20, capacity.availability(RUST).servers(), "40 ports per node in range, four per server");

        List<CapacityReservation> taken = new ArrayList<>();
        Optional<CapacityReservation> next;
        while ((next = capacity.reserve(newId(), RUST)).isPresent()) {
            taken.add(next.get());
        }

        assertEquals(20, taken.size(), "sold out by ports, not by memory (64 GiB per node)");
        Set<Integer> allocations = new HashSet<>();
        for (CapacityReservation r : taken) {
            assertEquals(3, r.additional().size(), r.toString());
            assertEquals(4, r.ports().stream().filter(p -> p >= 28015 && p <= 28054).distinct().count(), r.toString());
            allocations.add(r.allocationId());
            allocations.addAll(r.additional());
        }
        assertEquals(80, allocations.size(), "no allocation is held twice");
        assertEquals(0, capacity.availability(RUST).servers());

        capacity.release(taken.get(0).reservationId(), taken.get(0).nodeId(), false);
        assertEquals(1, capacity.availability(RUST).servers(), "a released reservation gives its four ports back");
    }

    @Test
    void theServerStandsOnItsFourAllocationsWithItsPortVariablesAndADeleteFreesThem() {
        CapacityReservation reserved = capacity.reserve(newId(), RUST).orElseThrow();

        PanelServerRef made = activities.createServer("ports-made", rust(reserved), null);

        Panel.Server server = client.getServer(made.id(), "allocations");
        assertEquals(reserved.allocationId(), server.allocation());
        assertEquals(reserved.nodeId(), server.node());
        Map<Integer, Integer> portsById = server.relationships().allocations().stream()
                .collect(Collectors.toMap(Panel.Allocation::id, Panel.Allocation::port));
        assertEquals(Set.of(reserved.allocationId(), reserved.additional().get(0), reserved.additional().get(1),
                reserved.additional().get(2)), portsById.keySet());
        Map<String, Object> env = server.container().environment();
        assertEquals(String.valueOf(portsById.get(reserved.additional().get(0))), String.valueOf(env.get("QUERY_PORT")));
        assertEquals(String.valueOf(portsById.get(reserved.additional().get(1))), String.valueOf(env.get("RCON_PORT")));
        assertEquals(String.valueOf(portsById.get(reserved.additional().get(2))), String.valueOf(env.get("APP_PORT")));
        Set<Integer> free = freeOn(reserved.nodeId());
        assertTrue(portsById.keySet().stream().noneMatch(free::contains), "assigned: no longer listed as free");

        client.forceDeleteServer(made.id());

        Set<Integer> freeAgain = freeOn(reserved.nodeId());
        assertTrue(freeAgain.containsAll(portsById.keySet()), "a deleted server's allocations are free again");
    }

    @Test
    void anAllocationTakenOutsideTheOrchestratorIsRefusedAndPickedAgainOnFreeOnes() {
        CapacityReservation reserved = capacity.reserve(newId(), RUST).orElseThrow();
        CapacityReservation neighbour = capacity.reserve(newId(), RUST).orElseThrow();
        // An operator's server takes one of the reserved ports behind the orchestrator's back.
        int stolen = reserved.additional().get(1);
        ServerSpec operators = rust(reserved);
        activities.createServer("operator-made", new ServerSpec(operators.name(), operators.description(), 1,
                operators.eggId(), operators.dockerImage(), operators.startup(), operators.environment(),
                operators.limits(), operators.featureLimits(), stolen, null, null), null);

        ApplicationFailure refused = assertThrows(ApplicationFailure.class,
                () -> activities.createServer("ports-raced", rust(reserved), null));
        assertEquals(PanelFailures.ALLOCATION_TAKEN, refused.getType());
        assertEquals(Set.of("operator-made"), sim.state().servers().stream().map(s -> s.externalId())
                .collect(Collectors.toSet()), "the refused create made nothing");

        CapacityReservation moved = capacity.repick(reserved, RUST).orElseThrow();

        assertEquals(reserved.nodeId(), moved.nodeId());
        Set<Integer> now = new HashSet<>(moved.additional());
        now.add(moved.allocationId());
        assertEquals(4, now.size());
        assertFalse(now.contains(stolen));
        Set<Integer> neighbours = new HashSet<>(neighbour.additional());
        neighbours.add(neighbour.allocationId());
        assertTrue(now.stream().noneMatch(neighbours::contains), "never onto another reservation's ports");
        PanelServerRef made = activities.createServer("ports-raced", rust(moved), null);
        assertEquals(moved.allocationId(), client.getServer(made.id()).allocation());
    }

    private Set<Integer> freeOn(int nodeId) {
        return client.unassignedAllocations(nodeId).stream().map(Panel.Allocation::id).collect(Collectors.toSet());
    }

    private static ServerSpec rust(CapacityReservation on) {
        Map<String, String> environment = Map.of("HOSTNAME", "Ports", "FRAMEWORK", "vanilla", "LEVEL",
                "Procedural Map", "DESCRIPTION", "test", "WORLD_SIZE", "3000", "MAX_PLAYERS", "40", "QUERY_PORT",
                "27017", "RCON_PORT", "28016", "RCON_PASS", "secret", "SAVEINTERVAL", "60");
        ServerSpec base = new ServerSpec("Rust", "sim test", 1, 14, "ghcr.io/pterodactyl/games:rust",
                "./RustDedicated", Map.of(), new ServerSpec.Limits(1024, 0, 2048, 500, 100),
                new ServerSpec.FeatureLimits(0, 4, 0), null, null, null);
        return base.withAllocations(on.allocationId(), on.additional(),
                PORTS.fill(withAppPort(environment), on.ports()));
    }

    private static Map<String, String> withAppPort(Map<String, String> environment) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.put("APP_PORT", "28082");
        return all;
    }

    private static String newId() {
        return "res_" + UUID.randomUUID().toString().replace("-", "");
    }
}
