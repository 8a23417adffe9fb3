package com.admintk.orchestrator.testing;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * End-to-end fixture: the app in role {@code dev} (API and workers) against the embedded stack, the panel simulator,
 * the fake Stripe and a real SMTP server (GreenMail), with demo data seeded and short saga deadlines.
 */
public final class Shop implements AutoCloseable {

    public static final String DEMO = "demo@admin-tk.local";
    public static final String ADMIN = "admin@admin-tk.local";
    public static final String PASSWORD = "demo-password";

    private final TestApp app;
    private final GreenMail mail;

    private Shop(TestApp app, GreenMail mail) {
        this.app = app;
        this.mail = mail;
    }

    public static Shop open(Map<String, Object> overrides) {
        // Port 0: GreenMail binds it and says which port it got.
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        int smtpPort = mail.getSmtp().getPort();
        Map<String, Object> properties = new HashMap<>();
        properties.put("orchestrator.seed-demo-data", true);
        properties.put("orchestrator.security.bcrypt-cost", 4);
        properties.put("orchestrator.security.rate-limit.enabled", false);
        properties.put("orchestrator.orders.install-deadline", "30s");
        properties.put("orchestrator.orders.install-poll-initial", "1s");
        properties.put("orchestrator.orders.install-poll-max", "2s");
        properties.put("orchestrator.orders.card-payment-deadline", "20s");
        properties.put("notifications.smtp.host", "127.0.0.1");
        properties.put("notifications.smtp.port", smtpPort);
        properties.putAll(overrides);
        return new Shop(TestApp.start("dev", properties), mail);
    }

    public TestApp app() {
        return app;
    }

    public GreenMail mail() {
        return mail;
    }

    /** An access token; the demo admin logs in with its TOTP code too ({@link SecondFactor}). */
    public String login(String email) {
        return (String) SecondFactor.login(app, email, PASSWORD).get("accessToken");
    }

    public HttpResponse<Map<String, Object>> checkout(String token, String key, Map<String, Object> body) {
        return app.exchange(HttpRequest.POST("/api/v1/orders", body).bearerAuth(token).header("Idempotency-Key", key));
    }

    public static Map<String, Object> tkcoins(String planId) {
        return Map.of("planId", planId, "serverName", "E2E " + UUID.randomUUID().toString().substring(0, 8),
                "paymentMethod", "tkcoins");
    }

    public Map<String, Object> order(String token, String orderId) {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.GET("/api/v1/orders/" + orderId).bearerAuth(token));
        assertEquals(200, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return response.getBody().orElseThrow();
    }

    /** Polls the order until its status satisfies {@code done}; returns the last view. */
    public Map<String, Object> awaitOrder(String token, String orderId, Predicate<String> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> last;
        do {
            last = order(token, orderId);
            if (done.test((String) last.get("status"))) {
                return last;
            }
            sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("order " + orderId + " not done within " + timeout + ": " + last);
    }

    public static boolean terminal(String status) {
        return List.of("ACTIVE", "FAILED", "REFUNDED", "CANCELLED", "COMPENSATION_FAILED").contains(status);
    }

    @SuppressWarnings("unchecked")
    public long balance(String token) {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.GET("/api/v1/wallet").bearerAuth(token));
        assertEquals(200, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return ((Number) response.getBody().orElseThrow().get("balance")).longValue();
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> ledger(String token) {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.GET("/api/v1/wallet?size=100").bearerAuth(token));
        return (List<Map<String, Object>>) response.getBody().orElseThrow().get("entries");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        app.close();
        mail.stop();
    }
}
