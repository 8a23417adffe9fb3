package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.pterodactyl.PanelConfiguration;
import com.admintk.orchestrator.pterodactyl.PanelRateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How checkouts read the panel's room, with the real client, Redis and the panel simulator: under steady checkouts
 * the reading is renewed in the background once per TTL, so no checkout waits for a panel round; after a quiet
 * spell a checkout reads the panel itself; and a node that refused a reservation is tried last until the next
 * reading.
 */
class CapacityReadingTest {

    /** 16 GiB each: four fit on each of the simulator's two 64 GiB nodes (one per location). */
    private static final CapacityDemand LARGE = new CapacityDemand("large", 16_384, 10_240, List.of(1, 2),
            List.of("25565-25624"), 1);
    private static final CapacityDemand SMALL = new CapacityDemand("small", 1_024, 10_240, List.of(1, 2),
            List.of("25565-25624"), 1);

    private static EmbeddedRedis redis;
    private PanelSimulator sim;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> connection;
    /** The thread of each node listing the capacity code asked the panel for. */
    private final List<String> readers = new CopyOnWriteArrayList<>();

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

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        sim = new PanelSimulator(PanelSimulator.config().port(0).rateLimitPerMinute(100_000)
                .clientRateLimitPerMinute(100_000).build()).start();
        redisClient = RedisClient.create(redis.uri());
        connection = redisClient.connect();
        connection.sync().flushall();
    }

    @AfterEach
    void stop() {
        connection.close();
        redisClient.shutdown();
        sim.close();
    }

    @Test
    void steadyCheckoutsNeverWaitForThePanelAndAQuietSpellReadsItAgain() throws InterruptedException {
        Duration ttl = Duration.ofSeconds(1);
        Capacity capacity = capacity(ttl);

        capacity.reserve(newId(), SMALL).orElseThrow();
        assertEquals(List.of(Thread.currentThread().getName()), readers, "the first checkout reads the panel itself");

        // A checkout every 50 ms for four cache lifetimes.
        long end = System.nanoTime() + ttl.multipliedBy(4).toNanos();
        int checkouts = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(50);
            capacity.reserve(newId(), SMALL).orElseThrow();
            checkouts++;
        }

        List<String> later = readers.subList(1, readers.size());
        assertTrue(later.size() >= 3 && later.size() <= 4, "the reading was renewed once per TTL: " + readers);
        assertTrue(later.stream().allMatch(name -> name.startsWith("capacity-refresh-")),
                "no checkout of " + checkouts + " read the panel itself: " + readers);
        assertEquals(1, readings(false), "the timer tells the reading a checkout waited for");
        long background = readings(true); // timed when done: the last one may still be under way
        assertTrue(background >= later.size() - 1 && background <= later.size(),
                "from those on the refresher thread: " + background + " of " + later.size());

        readers.clear();
        Thread.sleep(ttl.multipliedBy(2).plusMillis(200).toMillis());
        capacity.reserve(newId(), SMALL).orElseThrow();
        assertEquals(Thread.currentThread().getName(), readers.get(0),
                "after a quiet spell the checkout gets figures younger than the TTL: " + readers);
    }

    @Test
    void aNodeThatRefusedIsTriedLastUntilTheNextReading() {
        Capacity capacity = capacity(Duration.ofMinutes(10));
        for (int i = 0; i < 4; i++) {
            assertEquals(1, capacity.reserve(newId(), LARGE).orElseThrow().nodeId(), "equal room: the lower node id first");
        }

        long before = evalCalls();
        assertEquals(2, capacity.reserve(newId(), LARGE).orElseThrow().nodeId());
        assertEquals(2, evalCalls() - before, "node 1 refused, then node 2 took it");

        before = evalCalls();
        assertEquals(2, capacity.reserve(newId(), LARGE).orElseThrow().nodeId());
        assertEquals(1, evalCalls() - before, "node 2 straight away: node 1 refused under this reading");

        for (int i = 0; i < 2; i++) {
            capacity.reserve(newId(), LARGE).orElseThrow();
        }
        assertTrue(capacity.reserve(newId(), LARGE).isEmpty(), "both full: node 1 is still tried, and refuses");
    }

    private Capacity capacity(Duration ttl) {
        PanelClient client = new PanelClient(PanelConfiguration.of(sim.baseUrl(), sim.configuration().applicationKey(),
                sim.configuration().clientKey()), PanelRateLimiter.unlimited(), new SimpleMeterRegistry()) {
            @Override
            public List<Panel.Node> deployableNodes(int memory, int disk, List<Integer> locations) {
                if (memory == 0) {
                    readers.add(Thread.currentThread().getName());
                }
                return super.deployableNodes(memory, disk, locations);
            }
        };
        return new Capacity("default", client, connection, new CapacitySettings(ttl, Duration.ofMinutes(10),
                Duration.ofSeconds(30)), metrics);
    }

    private long readings(boolean background) {
        return metrics.get("capacity.panel.reading").tag("background", Boolean.toString(background)).timer().count();
    }

    private long evalCalls() {
        for (String line : connection.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_eval:")) {
                return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
            }
        }
        return 0;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
