package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.DemoData;
import com.admintk.orchestrator.testing.SecondFactor;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Users and store keys as operators manage them over the API. */
class AdminAccountsTest {

    private static TestApp app;
    private static IdentityFixtures.Login superAdmin;

    @BeforeAll
    static void start() {
        app = IdentityFixtures.start(Map.of("orchestrator.security.rate-limit.enabled", false));
        superAdmin = IdentityFixtures.login(app, DemoAccounts.ADMIN_EMAIL);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<Map<String, Object>> post(String path, Object body, String token) {
        return app.exchange(token == null ? HttpRequest.POST(path, body) : HttpRequest.POST(path, body).bearerAuth(token));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    @Test
    void anAdminCreatesCustomersOnlyAndTheSuperAdminCreatesStaff() {
        String adminEmail = unique("staff");
        HttpResponse<Map<String, Object>> staff = post("/api/v1/admin/users", Map.of("email", adminEmail, "name", "Staff",
                "password", IdentityFixtures.PASSWORD, "roles", List.of("ADMIN")), superAdmin.accessToken());
        assertEquals(201, staff.code(), () -> String.valueOf(staff.getBody().orElse(null)));
        assertEquals("ACTIVE", staff.getBody().orElseThrow().get("status"));
        SecondFactor.enrol(app, adminEmail);
        IdentityFixtures.Login admin = IdentityFixtures.login(app, adminEmail);

        HttpResponse<Map<String, Object>> customer = post("/api/v1/admin/users", Map.of("email", unique("cust"), "name", "Cust",
                "password", IdentityFixtures.PASSWORD, "roles", List.of("CLIENT")), admin.accessToken());
        assertEquals(201, customer.code());

        long users = IdentityFixtures.counts(app).get("users");
        HttpResponse<Map<String, Object>> escalation = post("/api/v1/admin/users", Map.of("email", unique("evil"), "name", "Evil",
                "password", IdentityFixtures.PASSWORD, "roles", List.of("SUPER_ADMIN")), admin.accessToken());
        assertEquals(403, escalation.code());
        HttpResponse<Map<String, Object>> duplicate = post("/api/v1/admin/users", Map.of("email", adminEmail, "name", "Again",
                "password", IdentityFixtures.PASSWORD, "roles", List.of("CLIENT")), superAdmin.accessToken());
        assertEquals(409, duplicate.code());
        assertEquals("EMAIL_TAKEN", TestApp.error(duplicate).get("code"));
        for (Object bad : new Object[]{Map.of("email", unique("x"), "name", "X", "password", "short", "roles", List.of("CLIENT")),
                Map.of("email", unique("x"), "name", "X", "password", IdentityFixtures.PASSWORD, "roles", List.of("ROOT")),
                Map.of("email", "nope", "name", "X", "password", IdentityFixtures.PASSWORD, "roles", List.of("CLIENT"))}) {
            HttpResponse<Map<String, Object>> refused = post("/api/v1/admin/users", bad, superAdmin.accessToken());
            assertEquals(400, refused.code(), () -> bad + " -> " + refused.getBody().orElse(null));
        }
        assertEquals(users, IdentityFixtures.counts(app).get("users"), "refused creations store nothing");
        assertTrue(IdentityFixtures.audits(app, "USER_CREATED") >= 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void disablingRefusesLoginsAndKillsLiveTokensAtOnceAndEnablingLetsThemBackIn() {
        String email = unique("disable-me");
        IdentityFixtures.Login victim = IdentityFixtures.newClient(app, email);
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(victim.accessToken())).code());

        HttpResponse<Map<String, Object>> disabled = post("/api/v1/admin/users/" + victim.userId() + "/disable", Map.of(), superAdmin.accessToken());
        assertEquals(200, disabled.code(), () -> String.valueOf(disabled.getBody().orElse(null)));
        assertEquals("DISABLED", disabled.getBody().orElseThrow().get("status"));

        HttpResponse<Map<String, Object>> live = app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(victim.accessToken()));
        assertEquals(403, live.code(), "the access token dies on the next request");
        assertEquals("ACCOUNT_DISABLED", TestApp.error(live).get("code"));
        assertEquals(401, post("/api/v1/auth/refresh", Map.of("refreshToken", victim.refreshToken()), null).code(),
                "refresh tokens are revoked");
        HttpResponse<Map<String, Object>> login = app.exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("email", email, "password", IdentityFixtures.PASSWORD)));
        assertEquals(403, login.code());
        assertEquals("ACCOUNT_DISABLED", TestApp.error(login).get("code"));

        Map<String, Object> page = app.exchange(HttpRequest.GET("/api/v1/admin/users?status=DISABLED&email=disable-me&role=CLIENT")
                .bearerAuth(superAdmin.accessToken())).getBody().orElseThrow();
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertTrue(items.stream().anyMatch(u -> victim.userId().equals(u.get("id"))), String.valueOf(page));
        assertTrue(items.stream().allMatch(u -> "DISABLED".equals(u.get("status"))), String.valueOf(page));
        Map<String, Object> admins = app.exchange(HttpRequest.GET("/api/v1/admin/users?role=SUPER_ADMIN&size=10")
                .bearerAuth(superAdmin.accessToken())).getBody().orElseThrow();
        assertTrue(((List<Map<String, Object>>) admins.get("items")).stream()
                .allMatch(u -> ((List<String>) u.get("roles")).contains("SUPER_ADMIN")), String.valueOf(admins));
        assertEquals(400, app.exchange(HttpRequest.GET("/api/v1/admin/users?status=ASLEEP").bearerAuth(superAdmin.accessToken())).code());

        assertEquals(200, post("/api/v1/admin/users/" + victim.userId() + "/enable", Map.of(), superAdmin.accessToken()).code());
        IdentityFixtures.login(app, email);
        assertEquals(409, post("/api/v1/admin/users/" + superAdmin.userId() + "/disable", Map.of(), superAdmin.accessToken()).code(),
                "nobody locks themselves out");
        assertTrue(IdentityFixtures.audits(app, "USER_DISABLED") >= 1);
        assertTrue(IdentityFixtures.audits(app, "USER_ENABLED") >= 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSuperAdminCreatesRotatesAndRevokesStoreKeysShownOnceAndStoredHashed() throws Exception {
        HttpResponse<Map<String, Object>> created = post("/api/v1/admin/service-accounts", Map.of("name", "Tienda EU"), superAdmin.accessToken());
        assertEquals(201, created.code(), () -> String.valueOf(created.getBody().orElse(null)));
        String firstKey = (String) created.getBody().orElseThrow().get("apiKey");
        String id = (String) ((Map<String, Object>) created.getBody().orElseThrow().get("account")).get("id");
        assertEquals(200, plansWith(firstKey));

        String listing = app.http().retrieve(HttpRequest.GET("/api/v1/admin/service-accounts").bearerAuth(superAdmin.accessToken()));
        assertTrue(listing.contains(id), listing);
        assertFalse(listing.contains(firstKey), "the key is shown once, at creation");
        Document stored = app.bean(Database.class).collection(ServiceAccountRepository.COLLECTION)
                .find(new Document("accountId", id)).first();
        assertFalse(stored.toJson().contains(firstKey), "the key is stored hashed");
        assertEquals(UserService.sha256(firstKey), stored.getString("_id"));

        HttpResponse<Map<String, Object>> rotated = post("/api/v1/admin/service-accounts/" + id + "/rotate",
                Map.of("overlapSeconds", 2), superAdmin.accessToken());
        assertEquals(200, rotated.code(), () -> String.valueOf(rotated.getBody().orElse(null)));
        String secondKey = (String) rotated.getBody().orElseThrow().get("apiKey");
        Instant overlapEnds = Instant.parse((String) rotated.getBody().orElseThrow().get("previousKeysExpireAt"));
        assertEquals(200, plansWith(secondKey));

        // Regression (issue 9): once the overlap has ended, the rotated-out key gets 401.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int old;
        do {
            old = plansWith(firstKey);
            if (old == 401) {
                break;
            }
            assertEquals(200, old, "the old key works during the overlap");
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        assertEquals(401, old);
        assertFalse(Instant.now().isBefore(overlapEnds), "not before the overlap ended");
        assertEquals(200, plansWith(secondKey));

        assertEquals(200, post("/api/v1/admin/service-accounts/" + id + "/revoke", Map.of(), superAdmin.accessToken()).code());
        assertEquals(401, plansWith(secondKey), "revoked at once");
        assertEquals(404, post("/api/v1/admin/service-accounts/" + id + "/rotate", Map.of(), superAdmin.accessToken()).code());
        assertTrue(IdentityFixtures.audits(app, "SERVICE_ACCOUNT_KEY_ROTATED") >= 1);
        assertTrue(IdentityFixtures.audits(app, "SERVICE_ACCOUNT_REVOKED") >= 1);

        // bad input stores nothing
        long keys = IdentityFixtures.counts(app).get(ServiceAccountRepository.COLLECTION);
        assertEquals(400, post("/api/v1/admin/service-accounts", Map.of("name", ""), superAdmin.accessToken()).code());
        assertEquals(400, post("/api/v1/admin/service-accounts/svc_store/rotate", Map.of("overlapSeconds", -1), superAdmin.accessToken()).code());
        assertEquals(keys, IdentityFixtures.counts(app).get(ServiceAccountRepository.COLLECTION));
    }

    @Test
    void onlyASuperAdminManagesServiceAccounts() {
        String email = unique("plain-admin");
        app.bean(UserService.class).create(email, IdentityFixtures.PASSWORD, Set.of(Roles.ADMIN)).orElseThrow();
        IdentityFixtures.Login admin = IdentityFixtures.login(app, email);
        assertEquals(403, app.exchange(HttpRequest.GET("/api/v1/admin/service-accounts").bearerAuth(admin.accessToken())).code());
        assertEquals(403, post("/api/v1/admin/service-accounts", Map.of("name", "Mine"), admin.accessToken()).code());
        assertEquals(403, post("/api/v1/admin/service-accounts/svc_store/rotate", Map.of(), admin.accessToken()).code());
    }

    @Test
    void theSeededStoreKeyFollowsStoreApiKeyAndTheOldOneStopsWorking() {
        assertEquals(200, plansWith(IdentityFixtures.STORE_KEY));
        DemoData.seed(app.context(), "store-key-after-a-change");
        try {
            assertEquals(401, plansWith(IdentityFixtures.STORE_KEY), "the previous STORE_API_KEY is retired");
            assertEquals(200, plansWith("store-key-after-a-change"));
        } finally {
            DemoData.seed(app.context(), IdentityFixtures.STORE_KEY);
        }
        assertEquals(200, plansWith(IdentityFixtures.STORE_KEY));
    }

    private static int plansWith(String apiKey) {
        try {
            return app.http().exchange(HttpRequest.GET("/api/v1/plans").header(ApiKeyAuthenticationFetcher.HEADER, apiKey), String.class).code();
        } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }
}
