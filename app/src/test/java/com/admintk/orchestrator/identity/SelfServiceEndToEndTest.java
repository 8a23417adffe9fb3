package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A customer who finds us alone: registers, proves the mailbox, buys; forgets the password and resets it once. */
class SelfServiceEndToEndTest {

    private static final String PASSWORD = "correct horse battery";
    private static Shop shop;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of());
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    void aNewCustomerRegistersVerifiesThroughTheEmailedLinkLogsInAndChecksOut() throws Exception {
        String email = "new-" + UUID.randomUUID().toString().substring(0, 8) + "@customers.test";
        HttpResponse<Map<String, Object>> registered = shop.app().exchange(HttpRequest.POST("/api/v1/auth/register",
                Map.of("email", email, "password", PASSWORD, "name", "Nuria")));
        assertEquals(202, registered.code(), () -> String.valueOf(registered.getBody().orElse(null)));

        HttpResponse<Map<String, Object>> early = login(email, PASSWORD);
        assertEquals(403, early.code());
        assertEquals("EMAIL_NOT_VERIFIED", TestApp.error(early).get("code"));

        String link = find(mailTo(email, "Confirm"), "(https?://\\S+/api/v1/auth/verify\\?token=\\S+)");
        URI uri = URI.create(link);
        String query = uri.getRawQuery();
        int signature = query.indexOf('.') + 1;
        String tampered = query.substring(0, signature) + (query.charAt(signature) == 'A' ? 'B' : 'A') + query.substring(signature + 1);
        HttpResponse<Map<String, Object>> forged = shop.app().exchange(HttpRequest.GET(uri.getPath() + "?" + tampered));
        assertEquals(400, forged.code(), "a link with a changed signature proves nothing");
        HttpResponse<Map<String, Object>> verified = shop.app().exchange(HttpRequest.GET(uri.getPath() + "?" + uri.getRawQuery()));
        assertEquals(200, verified.code(), () -> String.valueOf(verified.getBody().orElse(null)));
        assertEquals(email, verified.getBody().orElseThrow().get("email"));

        HttpResponse<Map<String, Object>> login = login(email, PASSWORD);
        assertEquals(200, login.code(), () -> String.valueOf(login.getBody().orElse(null)));
        String token = (String) login.getBody().orElseThrow().get("accessToken");
        String userId = (String) shop.app().exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(token)).getBody().orElseThrow().get("id");

        String admin = shop.login(Shop.ADMIN);
        assertEquals(200, shop.app().exchange(HttpRequest.POST("/api/v1/admin/wallets/" + userId + "/credit",
                Map.of("coins", 1000, "reason", "welcome")).bearerAuth(admin).header("Idempotency-Key", "welcome-" + userId)).code());
        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "self-" + userId, Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        Map<String, Object> order = shop.awaitOrder(token, (String) accepted.getBody().orElseThrow().get("orderId"), Shop::terminal,
                Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));

        // registering the same address again tells the caller nothing new
        HttpResponse<Map<String, Object>> again = shop.app().exchange(HttpRequest.POST("/api/v1/auth/register",
                Map.of("email", email, "password", "another password", "name", "Someone")));
        assertEquals(202, again.code());
        assertEquals(200, login(email, PASSWORD).code(), "the password stays the owner's");
    }

    @Test
    void aPasswordResetWorksOnceAndOnlyOnceAndEndsEverySession() throws Exception {
        String email = "reset-" + UUID.randomUUID().toString().substring(0, 8) + "@customers.test";
        shop.app().bean(UserService.class).create(email, PASSWORD, java.util.Set.of(Roles.CLIENT)).orElseThrow();
        String before = (String) login(email, PASSWORD).getBody().orElseThrow().get("accessToken");

        HttpResponse<Map<String, Object>> unknown = shop.app().exchange(HttpRequest.POST("/api/v1/auth/password/forgot",
                Map.of("email", "nobody-" + UUID.randomUUID() + "@customers.test")));
        HttpResponse<Map<String, Object>> known = shop.app().exchange(HttpRequest.POST("/api/v1/auth/password/forgot",
                Map.of("email", email)));
        assertEquals(202, unknown.code());
        assertEquals(202, known.code());
        assertEquals(unknown.getBody().orElseThrow(), known.getBody().orElseThrow(), "no account enumeration");

        String token = find(mailTo(email, "Reset"), "Reset token: (prt_[A-Za-z0-9_-]{43})");
        String newPassword = "a brand new password";
        HttpResponse<Map<String, Object>> reset = shop.app().exchange(HttpRequest.POST("/api/v1/auth/password/reset",
                Map.of("token", token, "password", newPassword)));
        assertEquals(204, reset.code(), () -> String.valueOf(reset.getBody().orElse(null)));

        HttpResponse<Map<String, Object>> replay = shop.app().exchange(HttpRequest.POST("/api/v1/auth/password/reset",
                Map.of("token", token, "password", "the attacker's choice")));
        assertEquals(400, replay.code(), "a reset token works once");
        assertEquals("INVALID_TOKEN", TestApp.error(replay).get("code"));

        HttpResponse<Map<String, Object>> old = shop.app().exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(before));
        assertEquals(401, old.code(), "the session from before the reset has ended");
        assertEquals(401, login(email, PASSWORD).code());
        assertEquals(401, login(email, "the attacker's choice").code());
        String after = (String) login(email, newPassword).getBody().orElseThrow().get("accessToken");

        // a change needs the current password, and ends every session too
        HttpResponse<Map<String, Object>> wrong = shop.app().exchange(HttpRequest.POST("/api/v1/auth/password/change",
                Map.of("currentPassword", "not it at all", "newPassword", "yet another password")).bearerAuth(after));
        assertEquals(403, wrong.code());
        assertEquals("WRONG_PASSWORD", TestApp.error(wrong).get("code"));
        String second = (String) login(email, newPassword).getBody().orElseThrow().get("accessToken");
        HttpResponse<Map<String, Object>> changed = shop.app().exchange(HttpRequest.POST("/api/v1/auth/password/change",
                Map.of("currentPassword", newPassword, "newPassword", "yet another password")).bearerAuth(after));
        assertEquals(204, changed.code(), () -> String.valueOf(changed.getBody().orElse(null)));
        assertEquals(401, shop.app().exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(after)).code());
        assertEquals(401, shop.app().exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(second)).code(), "every session");
        assertEquals(200, login(email, "yet another password").code());
    }

    @Test
    void badRegistrationsAndResetsGet4xxInTheErrorShapeAndStoreNothing() {
        long users = IdentityFixtures.counts(shop.app()).get("users");
        Object[] bodies = {
                Map.of("email", "not-an-email", "password", PASSWORD, "name", "X"),
                Map.of("email", "short@customers.test", "password", "short", "name", "X"),
                Map.of("email", "long@customers.test", "password", "é".repeat(40), "name", "X"),
                Map.of("email", "noname@customers.test", "password", PASSWORD),
                Map.of("email", "op@customers.test", "password", PASSWORD, "name", "X", "$where", "1")};
        for (Object body : bodies) {
            HttpResponse<Map<String, Object>> refused = shop.app().exchange(HttpRequest.POST("/api/v1/auth/register", body));
            assertEquals(400, refused.code(), () -> body + " -> " + refused.getBody().orElse(null));
            assertTrue(TestApp.error(refused).get("code") instanceof String);
        }
        HttpResponse<Map<String, Object>> badToken = shop.app().exchange(HttpRequest.POST("/api/v1/auth/password/reset",
                Map.of("token", "prt_" + "x".repeat(43), "password", PASSWORD)));
        assertEquals(400, badToken.code());
        assertEquals(400, shop.app().exchange(HttpRequest.GET("/api/v1/auth/verify?token=garbage")).code());
        assertEquals(400, shop.app().exchange(HttpRequest.GET("/api/v1/auth/verify")).code());
        assertEquals(users, IdentityFixtures.counts(shop.app()).get("users"));
    }

    private static HttpResponse<Map<String, Object>> login(String email, String password) {
        return shop.app().exchange(HttpRequest.POST("/api/v1/auth/login", Map.of("email", email, "password", password)));
    }

    /** The text of the first email to {@code to} whose subject contains {@code subject}, waiting for it. */
    private static String mailTo(String to, String subject) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (MimeMessage message : shop.mail().getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().equals(to) && message.getSubject().contains(subject)) {
                    return String.valueOf(message.getContent());
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + subject + "' email to " + to);
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), () -> regex + " not in: " + text);
        return m.group(1);
    }
}
