package com.admintk.orchestrator.security;

import com.admintk.orchestrator.testing.AppProcess;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedRateLimitTest {

    @Test
    void twoApiInstancesSharingRedisLetThroughExactlyTheConfiguredBudgetPerIp() {
        String prefix = "ratelimit:shared-" + UUID.randomUUID() + ":";
        Map<String, Object> config = Map.of(
                "orchestrator.security.rate-limit.per-ip-per-minute", 10,
                "orchestrator.security.rate-limit.key-prefix", prefix,
                "orchestrator.security.trusted-proxies", "127.0.0.1,::1");
        try (TestApp a = TestApp.start("api", config); TestApp b = TestApp.start("api", config)) {
            int allowed = 0;
            int limited = 0;
            HttpResponse<Map<String, Object>> last = null;
            for (int i = 0; i < 30; i++) {
                TestApp target = i % 2 == 0 ? a : b;
                // through the trusted proxy, on behalf of one client address
                HttpResponse<Map<String, Object>> response = target.exchange(HttpRequest.GET("/api/v1/auth/me")
                        .header("X-Forwarded-For", "203.0.113.7"));
                if (response.code() == 429) {
                    limited++;
                    last = response;
                } else {
                    assertEquals(401, response.code());
                    allowed++;
                }
            }
            assertEquals(10, allowed, "exactly the configured budget across both instances");
            assertEquals(20, limited);
            assertEquals("RATE_LIMITED", TestApp.error(last).get("code"));
            assertNotNull(last.getHeaders().get("Retry-After"));
            assertEquals("10", last.getHeaders().get("RateLimit-Limit"));
            assertEquals("0", last.getHeaders().get("RateLimit-Remaining"));
            assertNotNull(last.getHeaders().get("RateLimit-Reset"));

            // another client behind the same proxy has its own budget; health stays exempt
            assertEquals(401, a.exchange(HttpRequest.GET("/api/v1/auth/me").header("X-Forwarded-For", "198.51.100.9")).code());
            for (int i = 0; i < 15; i++) {
                assertTrue(a.exchange(HttpRequest.GET("/health/liveness").header("X-Forwarded-For", "203.0.113.7")).code() < 400);
            }
        }
    }

    @Test
    void twoApiProcessesSharingRedisDoNotMultiplyTheBudget() throws Exception {
        var env = TestStack.appEnvironment("api", "rl" + UUID.randomUUID().toString().substring(0, 8).replace("-", ""));
        env.put("RATE_LIMIT_PER_IP", "10");
        env.put("RATE_LIMIT_KEY_PREFIX", "ratelimit:procs-" + UUID.randomUUID() + ":");
        env.put("TRUSTED_PROXIES", "127.0.0.1,::1");
        try (AppProcess a = AppProcess.start("ratelimit-a", env); AppProcess b = AppProcess.start("ratelimit-b", env)) {
            a.awaitReady(Duration.ofSeconds(90));
            b.awaitReady(Duration.ofSeconds(90));
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            int allowed = 0;
            int limited = 0;
            for (int i = 0; i < 30; i++) {
                AppProcess target = i % 2 == 0 ? a : b;
                int status = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(target.baseUrl() + "/api/v1/auth/me"))
                        .header("X-Forwarded-For", "203.0.113.8").build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 429) {
                    limited++;
                } else {
                    assertEquals(401, status);
                    allowed++;
                }
            }
            assertEquals(10, allowed, "the budget of one instance, not two");
            assertEquals(20, limited);
        }
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        Map<String, Object> config = Map.of("orchestrator.security.rate-limit.per-ip-per-minute", 3);
        try (TestApp app = TestApp.start("api", config)) {
            int limited = 0;
            for (int i = 0; i < 6; i++) {
                // a client inventing a new address each time still spends its own (peer) budget
                if (app.exchange(HttpRequest.GET("/api/v1/auth/me").header("X-Forwarded-For", "192.0.2." + i)).code() == 429) {
                    limited++;
                }
            }
            assertEquals(3, limited);
        }
    }
}
