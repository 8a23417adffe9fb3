package com.admintk.orchestrator.config;

import com.admintk.orchestrator.testing.AppProcess;
import com.admintk.orchestrator.testing.TestStack;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BadConfigurationTest {

    @Test
    void anUnparseableMongoUriStopsStartupWithOneLineNamingIt() {
        assertStartupFailsNaming(Map.of("MONGODB_URI", "mongodb//not a uri"), "MONGODB_URI");
    }

    @Test
    void anEmptyJwtSecretStopsAnApiProcess() {
        assertStartupFailsNaming(Map.of("JWT_SECRET", ""), "JWT_SECRET");
    }

    @Test
    void aShortJwtSecretStopsAnApiProcess() {
        assertStartupFailsNaming(Map.of("JWT_SECRET", "too-short"), "JWT_SECRET");
    }

    @Test
    void theApiRoleRefusesTheDevJwtSecret() {
        assertStartupFailsNaming(Map.of("JWT_SECRET", "dev-only-jwt-secret-change-me-in-production-0123456789"),
                "JWT_SECRET");
    }

    @Test
    void aWorkerRefusesThePublishedStripeWebhookSecret() {
        assertStartupFailsNaming(Map.of("ORCHESTRATOR_ROLE", "worker", "STRIPE_WEBHOOK_SECRET", "whsec_admintk_local"),
                "STRIPE_WEBHOOK_SECRET");
    }

    @Test
    void anApiWithoutAStoreWebhookSecretStops() {
        assertStartupFailsNaming(Map.of("STORE_WEBHOOK_SECRET", ""), "STORE_WEBHOOK_SECRET");
    }

    @Test
    void theExampleEncryptionKeyIsRefused() {
        assertStartupFailsNaming(Map.of("ENCRYPTION_KEYS", "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "ENCRYPTION_ACTIVE_KEY", "k1"), "ENCRYPTION_KEYS");
    }

    @Test
    void anUnknownRoleStopsStartup() {
        assertStartupFailsNaming(Map.of("ORCHESTRATOR_ROLE", "scheduler"), "ORCHESTRATOR_ROLE");
    }

    @Test
    void anUnknownTaskQueueStopsAWorker() {
        assertStartupFailsNaming(Map.of("ORCHESTRATOR_ROLE", "worker", "WORKER_TASK_QUEUES", "orchestration,billing"),
                "WORKER_TASK_QUEUES");
    }

    @Test
    void aBadRedisUriStopsStartup() {
        assertStartupFailsNaming(Map.of("REDIS_URI", "localhost:6379"), "REDIS_URI");
    }

    @Test
    void aTopUpMaximumBelowItsMinimumStopsAnApiProcess() {
        assertStartupFailsNaming(Map.of("TOP_UP_MIN_COINS", "500", "TOP_UP_MAX_COINS", "100"), "TOP_UP_MAX_COINS");
    }

    @Test
    void dunningOffsetsThatGoBackInTimeStopStartup() {
        assertStartupFailsNaming(Map.of("LIFECYCLE_DUNNING_OFFSETS", "0s,5d,3d"), "LIFECYCLE_DUNNING_OFFSETS");
    }

    @Test
    void anUnreadableBillingPeriodStopsStartup() {
        assertStartupFailsNaming(Map.of("LIFECYCLE_BILLING_PERIOD", "monthly"), "LIFECYCLE_BILLING_PERIOD");
    }

    private static void assertStartupFailsNaming(Map<String, String> bad, String setting) {
        var env = TestStack.appEnvironment("api", "badconfig");
        env.putAll(bad);
        try (AppProcess app = AppProcess.start("badconfig-" + setting, env)) {
            int exit = app.waitFor(Duration.ofSeconds(60));
            String output = app.output();
            assertEquals(78, exit, output);
            List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
            assertEquals(1, lines.size(), "exactly one line: " + output);
            assertTrue(lines.get(0).contains(setting), lines.get(0));
            assertFalse(output.contains("\tat "), "no stack trace: " + output);
        }
    }
}
