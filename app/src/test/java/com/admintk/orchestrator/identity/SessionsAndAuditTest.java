package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionsAndAuditTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = IdentityFixtures.start(Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheWholeFamily() {
        IdentityFixtures.Login first = IdentityFixtures.newClient(app, "reuse@example.test");
        Map<String, Object> second = refresh(first.refreshToken(), 200);
        Map<String, Object> third = refresh((String) second.get("refreshToken"), 200);
        assertNotEquals(first.refreshToken(), second.get("refreshToken"));

        HttpResponse<Map<String, Object>> reuse = app.exchange(HttpRequest.POST("/api/v1/auth/refresh",
                Map.of("refreshToken", first.refreshToken())));
        assertEquals(401, reuse.code());
        assertEquals("REFRESH_TOKEN_REUSED", TestApp.error(reuse).get("code"));
        // the newest token of the family, never used, is dead too
        assertEquals("INVALID_REFRESH_TOKEN", TestApp.error(app.exchange(HttpRequest.POST("/api/v1/auth/refresh",
                Map.of("refreshToken", third.get("refreshToken"))))).get("code"));
        // another session (family) of the same user is untouched
        IdentityFixtures.Login other = IdentityFixtures.login(app, "reuse@example.test");
        refresh(other.refreshToken(), 200);
        assertTrue(IdentityFixtures.audits(app, AuditLog.Actions.TOKEN_REUSE_DETECTED) >= 1);
    }

    @Test
    void logoutRevokesTheSessionAndLeavesAnAuditEntry() {
        IdentityFixtures.Login login = IdentityFixtures.newClient(app, "logout@example.test");
        assertEquals(204, app.exchange(HttpRequest.POST("/api/v1/auth/logout", Map.of("refreshToken", login.refreshToken()))
                .bearerAuth(login.accessToken())).code());
        refresh(login.refreshToken(), 401);
        assertTrue(IdentityFixtures.audits(app, AuditLog.Actions.TOKEN_REVOKED) >= 1);
    }

    @Test
    void criticalActionsAreAuditedAndOnlyAdminsReadTheLog() {
        IdentityFixtures.Login admin = IdentityFixtures.login(app, DemoAccounts.ADMIN_EMAIL);
        IdentityFixtures.Login client = IdentityFixtures.newClient(app, "audited@example.test");
        HttpResponse<Map<String, Object>> wrong = app.exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("email", "audited@example.test", "password", "not-the-password")));
        assertEquals(401, wrong.code());
        assertEquals("INVALID_CREDENTIALS", TestApp.error(wrong).get("code"));
        assertEquals(200, app.exchange(HttpRequest.PUT("/api/v1/admin/users/" + client.userId() + "/roles",
                Map.of("roles", List.of("CLIENT", "ADMIN"))).bearerAuth(admin.accessToken())).code());

        HttpResponse<Map<String, Object>> denied = app.exchange(HttpRequest.GET("/api/v1/admin/audit").bearerAuth(
                IdentityFixtures.login(app, DemoAccounts.DEMO_EMAIL).accessToken()));
        assertEquals(403, denied.code());

        for (String action : List.of(AuditLog.Actions.LOGIN, AuditLog.Actions.LOGIN_FAILED, AuditLog.Actions.ROLES_CHANGED)) {
            HttpResponse<Map<String, Object>> page = app.exchange(HttpRequest.GET("/api/v1/admin/audit?action=" + action + "&size=5")
                    .bearerAuth(admin.accessToken()));
            assertEquals(200, page.code(), () -> String.valueOf(page.getBody().orElse(null)));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.getBody().orElseThrow().get("items");
            assertTrue(!items.isEmpty(), action + " audited");
            Map<String, Object> entry = items.get(0);
            assertEquals(action, entry.get("action"));
            assertTrue(entry.get("ip") != null && entry.get("requestId") != null && entry.get("result") != null, entry.toString());
        }
        HttpResponse<Map<String, Object>> byActor = app.exchange(HttpRequest.GET("/api/v1/admin/audit?actor=audited@example.test")
                .bearerAuth(admin.accessToken()));
        assertEquals(200, byActor.code());
        assertEquals(400, app.exchange(HttpRequest.GET("/api/v1/admin/audit?from=yesterday").bearerAuth(admin.accessToken())).code());
    }

    private static Map<String, Object> refresh(String token, int status) {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.POST("/api/v1/auth/refresh", Map.of("refreshToken", token)));
        assertEquals(status, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return response.getBody().orElse(Map.of());
    }
}
