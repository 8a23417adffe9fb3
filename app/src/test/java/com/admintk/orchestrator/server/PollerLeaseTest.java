package com.admintk.orchestrator.server;

import com.admintk.orchestrator.testing.TestStack;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller's lease against the test Redis: one holder at a time, and a dead holder's lease runs out. */
class PollerLeaseTest {

    @Test
    void aLeaderThatStopsRenewingIsReplacedOnceItsLeaseRunsOutAndCannotTakeItBack() throws Exception {
        RedisClient client = RedisClient.create(TestStack.get().redisUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            String key = "live:poller:leader:lease-test-" + UUID.randomUUID();
            Duration lease = Duration.ofMillis(800);
            PollerLease first = new PollerLease(redis.sync(), key, "first", lease);
            PollerLease second = new PollerLease(redis.sync(), key, "second", lease);

            assertTrue(first.holdOrTake());
            assertFalse(second.holdOrTake(), "taken");
            assertTrue(first.holdOrTake(), "renewed by its holder");
            assertEquals("first", redis.sync().get(key));

            // the first one "dies": no renewal; its lease runs out and the other takes over
            Thread.sleep(lease.toMillis() + 300);
            assertFalse(first.stillHeld(), "a stalled leader knows its lease is gone without asking Redis");
            assertTrue(second.holdOrTake(), "free after the lease");
            assertFalse(first.holdOrTake(), "the old leader cannot extend another's lease");
            first.release();
            assertEquals("second", redis.sync().get(key), "nor delete it");

            second.release();
            assertEquals(0, redis.sync().exists(key), "released on shutdown");
            assertTrue(first.holdOrTake(), "a released lease is free at once");
            first.release();
        } finally {
            client.shutdown();
        }
    }
}
