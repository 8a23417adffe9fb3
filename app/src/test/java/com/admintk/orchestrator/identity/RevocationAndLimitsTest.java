package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reproductions of the security review, each now refused. */
class RevocationAndLimitsTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        // The test client is the trusted proxy, so each test's X-Forwarded-For is a client with its own budget.
        app = IdentityFixtures.start(Map.of("orchestrator.security.rate-limit.login-per-minute", 10,
                "orchestrator.security.rate-limit.login-per-account-per-minute", 5,
                "orchestrator.security.trusted-proxies", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aDemotedAdminsOldTokenIsRefusedOnItsNextRequest() {
        IdentityFixtures.Login root = IdentityFixtures.login(app, DemoAccounts.ADMIN_EMAIL);
        IdentityFixtures.Login demoted = IdentityFixtures.newAdmin(app, "second-admin@example.test", Set.of(Roles.SUPER_ADMIN));
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/admin/audit?size=1")
                .bearerAuth(demoted.accessToken())).code());

        assertEquals(200, app.exchange(HttpRequest.PUT("/api/v1/admin/users/" + demoted.userId() + "/roles",
                Map.of("roles", List.of("CLIENT"))).bearerAuth(root.accessToken())).code());

        HttpResponse<Map<String, Object>> selfPromotion = app.exchange(HttpRequest.PUT(
                "/api/v1/admin/users/" + demoted.userId() + "/roles", Map.of("roles", List.of("SUPER_ADMIN")))
                .bearerAuth(demoted.accessToken()));
        assertEquals(403, selfPromotion.code());
        assertEquals("ROLES_CHANGED", TestApp.error(selfPromotion).get("code"));
        HttpResponse<Map<String, Object>> revenge = app.exchange(HttpRequest.PUT(
                "/api/v1/admin/users/" + root.userId() + "/roles", Map.of("roles", List.of("CLIENT")))
                .bearerAuth(demoted.accessToken()));
        assertEquals(403, revenge.code());
        assertTrue(app.bean(UserService.class).findById(root.userId()).orElseThrow().roles()
                .contains(Roles.SUPER_ADMIN), "the demoted admin could not touch the one who demoted them");
        // a new login carries the new roles and works for what they allow
        IdentityFixtures.Login again = IdentityFixtures.login(app, "second-admin@example.test");
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(again.accessToken())).code());
        assertEquals(403, app.exchange(HttpRequest.GET("/api/v1/admin/audit?size=1")
                .bearerAuth(again.accessToken())).code());
    }

    @Test
    void aLoggedOutAccessTokenIsRefused() {
        IdentityFixtures.Login login = IdentityFixtures.newClient(app, "logged-out@example.test");
        IdentityFixtures.Login otherDevice = IdentityFixtures.login(app, "logged-out@example.test");
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(login.accessToken())).code());
        assertEquals(204, app.exchange(HttpRequest.POST("/api/v1/auth/logout",
                Map.of("refreshToken", login.refreshToken())).bearerAuth(login.accessToken())).code());

        HttpResponse<Map<String, Object>> after = app.exchange(HttpRequest.GET("/api/v1/auth/me")
                .bearerAuth(login.accessToken()));
        assertEquals(401, after.code());
        assertEquals("SESSION_REVOKED", TestApp.error(after).get("code"));
        // only that session ended
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(otherDevice.accessToken()))
                .code());
    }

    @Test
    void theLoginLimitCannotBeWalkedAroundWithATrailingOrDoubleSlash() {
        List<Integer> codes = new ArrayList<>();
        String[] paths = {"/api/v1/auth/login/", "/api//v1/auth/login", "/api/v1//auth/login/"};
        for (int i = 0; i < 14; i++) {
            // a different unknown account each time, so only the per-IP login budget can stop it
            codes.add(app.exchange(HttpRequest.POST(paths[i % paths.length],
                    Map.of("email", "walker" + i + "@example.test", "password", "wrong-password"))
                    .header("X-Forwarded-For", "203.0.113.77")).code());
        }
        assertTrue(codes.contains(429), "some attempts are throttled: " + codes);
        assertTrue(codes.stream().filter(c -> c == 429).count() >= 4, "at most 10 get through: " + codes);
    }

    @Test
    void oneAccountIsThrottledWhateverTheAddress() {
        IdentityFixtures.newClient(app, "targeted@example.test");
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            codes.add(app.exchange(HttpRequest.POST("/api/v1/auth/login",
                    Map.of("email", "targeted@example.test", "password", "guess-" + i))
                    .header("X-Forwarded-For", "198.51.100." + (10 + i))).code());
        }
        assertEquals(List.of(401, 401, 401, 401, 429, 429, 429, 429), codes,
                "5 per account per minute (the fixture's own login used one)");
    }

    @Test
    void aPasswordBcryptCannotTakeIsA400NotA500() {
        String eighty = "p".repeat(80);
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("email", "long-password@example.test", "password", eighty))
                .header("X-Forwarded-For", "192.0.2.80"));
        assertEquals(400, response.code());
        assertEquals("VALIDATION_FAILED", TestApp.error(response).get("code"));
        assertTrue(IdentityFixtures.audits(app, AuditLog.Actions.LOGIN_FAILED) >= 1);
        // 71 bytes is the most bcrypt takes: an ordinary wrong password
        assertEquals(401, app.exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("email", "long-password@example.test", "password", "p".repeat(71)))
                .header("X-Forwarded-For", "192.0.2.80")).code());
    }
}
