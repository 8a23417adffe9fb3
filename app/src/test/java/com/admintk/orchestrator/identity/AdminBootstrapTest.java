package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ConfigurationCheck;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.core.value.MapPropertyResolver;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A production installation gets its first SUPER_ADMIN from the bootstrap variables, once; never demo accounts. */
class AdminBootstrapTest {

    private static final String PASSWORD = "a long bootstrap secret";

    @Test
    void theBootstrapVariablesCreateTheFirstSuperAdminOnlyWhileThereIsNone() {
        String database;
        try (TestApp first = TestApp.start("api", Map.of("orchestrator.security.bcrypt-cost", 4,
                "orchestrator.bootstrap-admin.email", "Owner@Example.test",
                "orchestrator.bootstrap-admin.password", PASSWORD))) {
            database = first.context().getRequiredProperty("mongodb.uri", String.class);
            HttpResponse<Map<String, Object>> login = first.exchange(HttpRequest.POST("/api/v1/auth/login",
                    Map.of("email", "owner@example.test", "password", PASSWORD)));
            assertEquals(200, login.code(), () -> String.valueOf(login.getBody().orElse(null)));
            // A new admin may only enrol its second factor before anything else.
            HttpResponse<Map<String, Object>> me = first.exchange(HttpRequest.GET("/api/v1/auth/me")
                    .bearerAuth((String) login.getBody().orElseThrow().get("accessToken")));
            assertEquals(403, me.code());
            assertEquals("MFA_ENROLMENT_REQUIRED", TestApp.error(me).get("code"));
            assertTrue(first.bean(UserService.class).findByEmail("owner@example.test").orElseThrow().roles()
                    .contains(Roles.SUPER_ADMIN));
            assertEquals(1, IdentityFixtures.audits(first, "BOOTSTRAP_ADMIN_CREATED"));
        }
        // A restart with other bootstrap values on the same database: a SUPER_ADMIN exists, nothing happens.
        try (TestApp second = TestApp.start("api", Map.of("mongodb.uri", database, "orchestrator.security.bcrypt-cost", 4,
                "orchestrator.bootstrap-admin.email", "intruder@example.test",
                "orchestrator.bootstrap-admin.password", "another long secret"))) {
            assertTrue(second.bean(UserService.class).findByEmail("intruder@example.test").isEmpty());
            assertFalse(second.bean(AdminBootstrap.class).bootstrap());
            assertEquals(1L, IdentityFixtures.counts(second).get("users"));
        }
    }

    @Test
    void theApiRoleNeverSeedsTheDemoAccountsAndRefusesToStartWhenAskedTo() {
        try (TestApp api = TestApp.start("api", Map.of("orchestrator.seed-demo-data", true))) {
            assertTrue(api.bean(UserService.class).findByEmail(DemoAccounts.ADMIN_EMAIL).isEmpty(),
                    "no published-password SUPER_ADMIN in role api");
            assertFalse(api.context().containsBean(DemoAccounts.class));
            assertEquals(401, api.exchange(HttpRequest.GET("/api/v1/plans")
                    .header(ApiKeyAuthenticationFetcher.HEADER, IdentityFixtures.STORE_KEY)).code(), "no demo store key");
        }
        for (String role : List.of("api", "worker")) {
            Map<String, Object> config = new HashMap<>(Map.of("orchestrator.role", role, "orchestrator.seed-demo-data", true));
            List<String> problems = ConfigurationCheck.problems(new MapPropertyResolver(config));
            assertTrue(problems.stream().anyMatch(p -> p.startsWith("SEED_DEMO_DATA")), role + ": " + problems);
            config.put("orchestrator.seed-demo-data", false);
            assertTrue(ConfigurationCheck.problems(new MapPropertyResolver(config)).stream().noneMatch(p -> p.startsWith("SEED_DEMO_DATA")));
        }
        Map<String, Object> dev = Map.of("orchestrator.role", "dev", "orchestrator.seed-demo-data", true);
        assertTrue(ConfigurationCheck.problems(new MapPropertyResolver(dev)).stream().noneMatch(p -> p.startsWith("SEED_DEMO_DATA")));

        Map<String, Object> weak = Map.of("orchestrator.role", "api", "orchestrator.bootstrap-admin.email", "owner@example.test",
                "orchestrator.bootstrap-admin.password", "demo-password");
        assertTrue(ConfigurationCheck.problems(new MapPropertyResolver(weak)).stream()
                .anyMatch(p -> p.startsWith("BOOTSTRAP_ADMIN_PASSWORD")), "a published bootstrap password is refused");
    }
}
