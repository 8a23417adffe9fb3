package com.admintk.orchestrator.server;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import com.mongodb.client.MongoCollection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.http.HttpRequest;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 6 of issue 11: two worker replicas against one Redis, one store and their own panel simulator (so its
 * request log holds this test's polls only). The panel sees one resources poll per server per interval, not two; a
 * watched server is left to the WebSocket; when the leader stops, the other replica takes over and polling goes on.
 */
class ClusterStatsPollerTest {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final int ROUNDS = 5;

    private PanelSimulator panel;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;
    private final List<TestApp> apps = new ArrayList<>();

    @BeforeEach
    void start() {
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).build()).start();
        redisClient = RedisClient.create(TestStack.get().redisUri());
        redis = redisClient.connect();
    }

    @AfterEach
    void stop() {
        apps.forEach(TestApp::close);
        redis.close();
        redisClient.shutdown();
        panel.close();
    }

    private TestApp worker(String database, String leaderKey) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("mongodb.uri", TestStack.get().mongoUri(database));
        overrides.put("panel.url", panel.baseUrl());
        overrides.put("panel.rate-limit-key", "admintk:panel:rate:poller-" + database);
        overrides.put("panel.rate-limit-per-minute", 6000);
        overrides.put("panel.rate-limit-burst", 200);
        overrides.put("orchestrator.live.stats.enabled", true);
        overrides.put("orchestrator.live.stats.interval", INTERVAL.toMillis() + "ms");
        overrides.put("orchestrator.live.stats.leader-lease", LEASE.toMillis() + "ms");
        overrides.put("orchestrator.live.stats.leader-key", leaderKey);
        TestApp app = TestApp.start("worker", overrides);
        apps.add(app);
        return app;
    }

    @Test
    void twoWorkerReplicasPollEachServerOncePerIntervalAndTheSurvivorTakesOver() throws Exception {
        String database = "poll" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String leaderKey = "live:poller:leader:" + database;
        TestApp first = worker(database, leaderKey);
        MongoCollection<Document> store = first.bean(Database.class).collection("servers");
        Map<String, String> identifiers = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            String serverId = "srv-" + database + "-" + i;
            identifiers.put(serverId, SimControl.identifier(panel, SimControl.plant(panel, store, serverId, "cust-1",
                    "no-such-plan")));
        }
        // a suspended server is not polled: nobody can use it
        store.insertOne(new Document("_id", "srv-" + database + "-suspended").append("status", "SUSPENDED")
                .append("panelIdentifier", "deadbeef").append("planId", "no-such-plan"));
        TestApp second = worker(database, leaderKey);
        ServerStatsPoller a = first.bean(ServerStatsPoller.class);
        ServerStatsPoller b = second.bean(ServerStatsPoller.class);
        await(() -> a.leading() || b.leading(), LEASE.plusSeconds(5), "one replica leads");
        assertFalse(a.leading() && b.leading(), "never two leaders");

        // two whole rounds with both replicas up, then count over ROUNDS intervals
        Thread.sleep(INTERVAL.toMillis());
        long from = System.currentTimeMillis();
        Thread.sleep(INTERVAL.toMillis() * ROUNDS);
        long to = System.currentTimeMillis();
        assertFalse(a.leading() && b.leading(), "never two leaders");
        for (Map.Entry<String, String> server : identifiers.entrySet()) {
            long polls = SimControl.resourcePolls(panel, server.getValue(), from, to);
            System.out.printf("acceptance 6: server %s: %d resources polls in %d intervals of %s (two replicas)%n",
                    server.getKey(), polls, ROUNDS, INTERVAL);
            assertTrue(polls >= ROUNDS - 1 && polls <= ROUNDS + 1,
                    server.getKey() + ": " + polls + " polls in " + ROUNDS + " intervals, expected about " + ROUNDS);
        }
        assertEquals(0, SimControl.resourcePolls(panel, "deadbeef", 0, Long.MAX_VALUE), "suspended: not polled");
        String someServer = identifiers.keySet().iterator().next();
        Map<String, String> hash = redis.sync().hgetall(LiveStats.statsKey(someServer));
        assertEquals("offline", hash.get("state"), String.valueOf(hash));
        for (String field : List.of("cpu", "memoryBytes", "diskBytes", "atMillis")) {
            assertTrue(hash.containsKey(field), field + " in " + hash);
        }
        assertTrue(Long.parseLong(hash.get("atMillis")) > from, "fresh");

        TestApp leader = a.leading() ? first : second;
        TestApp follower = leader == first ? second : first;
        assertTrue(prometheus(leader).contains("live_stats_poller_leader 1.0"), "the leader says so");
        assertTrue(prometheus(follower).contains("live_stats_poller_leader 0.0"), "the follower says so");

        // the leader stops: the other replica takes the lease and polling goes on
        ServerStatsPoller survivor = follower.bean(ServerStatsPoller.class);
        long stopped = System.currentTimeMillis();
        leader.close();
        apps.remove(leader);
        await(survivor::leading, LEASE.plus(INTERVAL).plusSeconds(2), "the surviving replica takes over");
        long tookOver = System.currentTimeMillis() - stopped;
        System.out.printf("acceptance 6: the survivor leads %d ms after the leader stopped (lease %s)%n", tookOver,
                LEASE);
        assertTrue(tookOver <= LEASE.toMillis(), "taken over within the lease: " + tookOver + " ms");
        long after = System.currentTimeMillis() + INTERVAL.toMillis();
        Thread.sleep(INTERVAL.toMillis() * (ROUNDS + 1));
        long end = System.currentTimeMillis();
        for (Map.Entry<String, String> server : identifiers.entrySet()) {
            long polls = SimControl.resourcePolls(panel, server.getValue(), after, end);
            System.out.printf("acceptance 6: server %s: %d polls in %d intervals after the takeover%n",
                    server.getKey(), polls, ROUNDS);
            assertTrue(polls >= ROUNDS - 1 && polls <= ROUNDS + 1, server.getKey() + ": " + polls);
        }
    }

    @Test
    void aServerWatchedOverTheWebSocketIsLeftToItsWingsStream() throws Exception {
        String database = "watch" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TestApp app = worker(database, "live:poller:leader:" + database);
        MongoCollection<Document> store = app.bean(Database.class).collection("servers");
        String watched = "srv-" + database + "-watched";
        String unwatched = "srv-" + database + "-plain";
        redis.sync().psetex(LiveStats.watchedKey(watched), 60_000, "ws-owner");
        String watchedIdent = SimControl.identifier(panel, SimControl.plant(panel, store, watched, "c", "p"));
        String plainIdent = SimControl.identifier(panel, SimControl.plant(panel, store, unwatched, "c", "p"));
        await(() -> app.bean(ServerStatsPoller.class).leading(), LEASE.plusSeconds(5), "the only replica leads");
        long from = System.currentTimeMillis();
        Thread.sleep(INTERVAL.toMillis() * 3);
        long to = System.currentTimeMillis();
        assertEquals(0, SimControl.resourcePolls(panel, watchedIdent, 0, Long.MAX_VALUE), "watched: never polled");
        assertTrue(SimControl.resourcePolls(panel, plainIdent, from, to) >= 2, "the other one is");

        // the last subscriber leaves: the poller covers the server again
        redis.sync().del(LiveStats.watchedKey(watched));
        await(() -> SimControl.resourcePolls(panel, watchedIdent, 0, Long.MAX_VALUE) > 0, INTERVAL.multipliedBy(3),
                "polled once nobody watches");
        redis.sync().del(LiveStats.statsKey(watched), LiveStats.statsKey(unwatched));
    }

    private static String prometheus(TestApp app) {
        return app.http().retrieve(HttpRequest.GET("/prometheus"), String.class);
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(50);
        }
    }
}
