package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.SecondFactor;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two-factor login of admins over HTTP (issue 9, acceptance 3). Codes come from the TOTP library's generator, as an
 * authenticator app would make them.
 */
class TotpLoginTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        // the per-account code budget stays at its default (5/min); the per-IP budgets would only get in the way
        app = IdentityFixtures.start(Map.of("orchestrator.security.rate-limit.login-per-minute", 1000,
                "orchestrator.security.rate-limit.per-ip-per-minute", 100000));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anAdminWithoutASecondFactorMayDoNothingButEnrolAndThenLogsInWithACode() {
        String email = "new-admin@example.test";
        app.bean(UserService.class).create(email, IdentityFixtures.PASSWORD, Set.of(Roles.SUPER_ADMIN)).orElseThrow();
        Map<String, Object> passwordOnly = passwordStep(email);
        assertNull(passwordOnly.get("mfaRequired"), "not enrolled: no second step yet");
        String restricted = (String) passwordOnly.get("accessToken");

        for (MutableHttpRequest<?> request : List.<MutableHttpRequest<?>>of(HttpRequest.GET("/api/v1/admin/users"), HttpRequest.GET("/api/v1/auth/me"),
                HttpRequest.GET("/api/v1/admin/audit"), HttpRequest.GET("/api/v1/plans"),
                HttpRequest.PUT("/api/v1/admin/users/" + userId(email) + "/roles", Map.of("roles", List.of("CLIENT"))))) {
            HttpResponse<Map<String, Object>> refused = app.exchange(request.bearerAuth(restricted));
            assertEquals(403, refused.code(), request.getPath());
            assertEquals("MFA_ENROLMENT_REQUIRED", TestApp.error(refused).get("code"));
        }
        // a refresh of that session is just as restricted
        Map<String, Object> refreshed = app.exchange(HttpRequest.POST("/api/v1/auth/refresh",
                Map.of("refreshToken", passwordOnly.get("refreshToken")))).getBody().orElseThrow();
        assertEquals("MFA_ENROLMENT_REQUIRED", TestApp.error(app.exchange(HttpRequest.GET("/api/v1/admin/users")
                .bearerAuth((String) refreshed.get("accessToken")))).get("code"));
        assertEquals(Set.of(Roles.SUPER_ADMIN), app.bean(UserService.class).findByEmail(email).orElseThrow().roles(),
                "the refused role change did not happen");

        Map<String, Object> started = startEnrolment(restricted);
        String secret = (String) started.get("secret");
        URI uri = URI.create((String) started.get("otpauthUri"));
        assertEquals("otpauth", uri.getScheme());
        assertEquals("totp", uri.getHost());
        String query = URLDecoder.decode(uri.getRawQuery(), StandardCharsets.UTF_8);
        assertTrue(query.contains("secret=" + secret) && query.contains("issuer=Admin-TK"), query);
        String qr = (String) started.get("qrCode");
        assertTrue(qr.startsWith("data:image/png;base64,"), qr.substring(0, Math.min(40, qr.length())));
        byte[] png = Base64.getDecoder().decode(qr.substring(qr.indexOf(',') + 1));
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        String stored = app.bean(Database.class).collection("totp_enrolments").find(new Document("_id", userId(email)))
                .first().getString("secret");
        assertTrue(stored.startsWith("enc:v1:") && !stored.contains(secret), "the secret is stored encrypted: " + stored);

        HttpResponse<Map<String, Object>> wrong = app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment/confirm",
                Map.of("code", wrongCode(secret))).bearerAuth(restricted));
        assertEquals(422, wrong.code());
        assertEquals("INVALID_TOTP_CODE", TestApp.error(wrong).get("code"));

        SecondFactor.remember(app, email, secret);
        HttpResponse<Map<String, Object>> confirmed = app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment/confirm",
                Map.of("code", SecondFactor.nextCode(app, email))).bearerAuth(restricted));
        assertEquals(200, confirmed.code(), () -> String.valueOf(confirmed.getBody().orElse(null)));
        @SuppressWarnings("unchecked")
        List<String> recoveryCodes = (List<String>) confirmed.getBody().orElseThrow().get("recoveryCodes");
        assertEquals(10, recoveryCodes.size());
        assertEquals(10, Set.copyOf(recoveryCodes).size());
        // enrolment ended the password-only sessions
        HttpResponse<Map<String, Object>> ended = app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment", Map.of())
                .bearerAuth(restricted));
        assertEquals(401, ended.code());
        assertEquals("SESSION_REVOKED", TestApp.error(ended).get("code"));

        // now the password answers only an mfa token, and a code of the next step finishes the login
        Map<String, Object> challenge = passwordStep(email);
        assertEquals(true, challenge.get("mfaRequired"));
        assertNull(challenge.get("accessToken"));
        Map<String, Object> pair = secondStep((String) challenge.get("mfaToken"), SecondFactor.nextCode(app, email), 200);
        String full = (String) pair.get("accessToken");
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/admin/users").bearerAuth(full)).code());
        assertEquals(409, app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment", Map.of()).bearerAuth(full)).code(),
                "an enrolled account cannot be re-enrolled by whoever holds a session");
        // a refresh keeps the second factor of the session
        Map<String, Object> next = app.exchange(HttpRequest.POST("/api/v1/auth/refresh",
                Map.of("refreshToken", pair.get("refreshToken")))).getBody().orElseThrow();
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/admin/users").bearerAuth((String) next.get("accessToken"))).code());
    }

    @Test
    void aCodeFromTheGeneratorCompletesTheLoginWhileAWrongOrReusedCodeIsRefused() {
        String email = DemoAccounts.ADMIN_EMAIL;
        Map<String, Object> challenge = passwordStep(email);
        assertEquals(true, challenge.get("mfaRequired"));
        String mfaToken = (String) challenge.get("mfaToken");
        assertNull(challenge.get("accessToken"));
        assertEquals(401, app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(mfaToken)).code(),
                "the mfa token is no access token");

        String secret = SecondFactor.secretOf(app, email);
        assertEquals("INVALID_TOTP_CODE", code(secondStep(mfaToken, wrongCode(secret), 401)));
        String code = SecondFactor.nextCode(app, email);
        Map<String, Object> pair = secondStep(mfaToken, code, 200);
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/admin/audit?size=1")
                .bearerAuth((String) pair.get("accessToken"))).code());
        assertEquals("INVALID_MFA_TOKEN", code(secondStep(mfaToken, SecondFactor.code(secret,
                SecondFactor.currentStep() + 1), 401)), "an mfa token finishes one login");

        String again = (String) passwordStep(email).get("mfaToken");
        assertEquals("TOTP_CODE_REUSED", code(secondStep(again, code, 401)));
        // the step before an accepted one is spent too (refused as a replay while it is inside the drift window,
        // as wrong after)
        String older = SecondFactor.code(secret, lastAcceptedStep(email) - 1);
        assertTrue(List.of("TOTP_CODE_REUSED", "INVALID_TOTP_CODE").contains(code(secondStep(again, older, 401))));
        assertTrue(IdentityFixtures.audits(app, AuditLog.Actions.LOGIN_FAILED) >= 3);

        // a customer's login has no second step
        Map<String, Object> client = passwordStep(DemoAccounts.DEMO_EMAIL);
        assertNull(client.get("mfaRequired"));
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth((String) client.get("accessToken"))).code());
        assertEquals(403, app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment", Map.of())
                .bearerAuth((String) client.get("accessToken"))).code(), "customers have no TOTP to enrol");
    }

    @Test
    void aRecoveryCodeFinishesOneLoginOnly() {
        String email = "recovering-admin@example.test";
        List<String> recoveryCodes = enrolOverHttp(email);

        String first = recoveryCodes.get(0);
        Map<String, Object> pair = secondStep((String) passwordStep(email).get("mfaToken"), first, 200);
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/admin/users").bearerAuth((String) pair.get("accessToken"))).code());
        assertEquals("INVALID_TOTP_CODE", code(secondStep((String) passwordStep(email).get("mfaToken"), first, 401)),
                "a recovery code works once");
        // the others still work, typed in capitals or not
        secondStep((String) passwordStep(email).get("mfaToken"), recoveryCodes.get(1).toUpperCase(Locale.ROOT), 200);
        List<?> left = app.bean(Database.class).collection("totp_enrolments").find(new Document("_id", userId(email)))
                .first().getList("recoveryCodes", String.class);
        assertEquals(8, left.size());
        assertFalse(left.contains(first), "only hashes are stored");
    }

    @Test
    void codeAttemptsAreLimitedPerMfaTokenAndPerAccount() {
        String email = "guessed-admin@example.test";
        app.bean(UserService.class).create(email, IdentityFixtures.PASSWORD, Set.of(Roles.ADMIN)).orElseThrow();
        String secret = SecondFactor.enrol(app, email);

        String mfaToken = (String) passwordStep(email).get("mfaToken");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            codes.add(code(secondStep(mfaToken, wrongCode(secret), 401)));
        }
        assertEquals(List.of("INVALID_TOTP_CODE", "INVALID_TOTP_CODE", "INVALID_TOTP_CODE", "INVALID_TOTP_CODE",
                "INVALID_TOTP_CODE"), codes);
        String right = SecondFactor.code(secret, SecondFactor.currentStep());
        assertEquals("INVALID_MFA_TOKEN", code(secondStep(mfaToken, right, 401)),
                "five tries spend the mfa token, even for the right code");
        // the account's budget (5 codes a minute) is spent as well, whatever new mfa token comes
        HttpResponse<Map<String, Object>> limited = app.exchange(HttpRequest.POST("/api/v1/auth/login/totp",
                Map.of("mfaToken", passwordStep(email).get("mfaToken"), "code", right)));
        assertEquals(429, limited.code());
        assertEquals("RATE_LIMITED", TestApp.error(limited).get("code"));
        assertTrue(limited.getHeaders().get("Retry-After") != null);
    }

    @Test
    void everyOtherRouteRefusesTheTokenOfAnAdminWithoutASecondFactor() {
        // AuthorizationMatrixTest walks every route with such a token; here the enrolment routes stay open
        String email = "open-routes@example.test";
        app.bean(UserService.class).create(email, IdentityFixtures.PASSWORD, Set.of(Roles.ADMIN)).orElseThrow();
        Map<String, Object> passwordOnly = passwordStep(email);
        String restricted = (String) passwordOnly.get("accessToken");
        assertEquals(200, app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment/", Map.of()).bearerAuth(restricted)).code(),
                "the router's spelling of the route is the gate's");
        assertEquals(204, app.exchange(HttpRequest.POST("/api/v1/auth/logout",
                Map.of("refreshToken", passwordOnly.get("refreshToken"))).bearerAuth(restricted)).code());
        assertEquals(401, app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment", Map.of()).bearerAuth(restricted)).code());
    }

    private static List<String> enrolOverHttp(String email) {
        app.bean(UserService.class).create(email, IdentityFixtures.PASSWORD, Set.of(Roles.ADMIN)).orElseThrow();
        String restricted = (String) passwordStep(email).get("accessToken");
        String secret = (String) startEnrolment(restricted).get("secret");
        SecondFactor.remember(app, email, secret);
        HttpResponse<Map<String, Object>> confirmed = app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment/confirm",
                Map.of("code", SecondFactor.nextCode(app, email))).bearerAuth(restricted));
        assertEquals(200, confirmed.code(), () -> String.valueOf(confirmed.getBody().orElse(null)));
        @SuppressWarnings("unchecked")
        List<String> codes = (List<String>) confirmed.getBody().orElseThrow().get("recoveryCodes");
        return codes;
    }

    private static Map<String, Object> startEnrolment(String token) {
        HttpResponse<Map<String, Object>> started = app.exchange(HttpRequest.POST("/api/v1/auth/totp/enrolment", Map.of())
                .bearerAuth(token));
        assertEquals(200, started.code(), () -> String.valueOf(started.getBody().orElse(null)));
        return started.getBody().orElseThrow();
    }

    private static Map<String, Object> passwordStep(String email) {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("email", email, "password", IdentityFixtures.PASSWORD)));
        assertEquals(200, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return response.getBody().orElseThrow();
    }

    private static Map<String, Object> secondStep(String mfaToken, String code, int status) {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.POST("/api/v1/auth/login/totp",
                Map.of("mfaToken", mfaToken, "code", code)));
        assertEquals(status, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return response.getBody().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static String code(Map<String, Object> errorBody) {
        return (String) ((Map<String, Object>) errorBody.get("error")).get("code");
    }

    /** Six digits that are no valid code of this secret anywhere near now. */
    private static String wrongCode(String secret) {
        long now = SecondFactor.currentStep();
        Set<String> near = Set.of(SecondFactor.code(secret, now - 1), SecondFactor.code(secret, now),
                SecondFactor.code(secret, now + 1), SecondFactor.code(secret, now + 2));
        for (int i = 0; ; i++) {
            String candidate = String.format("%06d", (123456 + i * 7919) % 1_000_000);
            if (!near.contains(candidate)) {
                return candidate;
            }
        }
    }

    private static long lastAcceptedStep(String email) {
        return app.bean(Database.class).collection("totp_enrolments").find(new Document("_id", userId(email))).first()
                .get("lastStep", Number.class).longValue();
    }

    private static String userId(String email) {
        return app.bean(UserService.class).findByEmail(email).orElseThrow().id();
    }
}
