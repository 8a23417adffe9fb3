package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.DemoData;
import com.admintk.orchestrator.testing.SecondFactor;
import com.admintk.orchestrator.testing.TestApp;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.MongoClient;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.bson.Document;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An API app with the demo accounts seeded (by hand: role api never seeds), cheap bcrypt, and helpers to log in and count documents. */
public final class IdentityFixtures {

    public static final String PASSWORD = "demo-password";
    public static final String STORE_KEY = "store-demo-key";
    public static final String STRIPE_SECRET = "whsec_test_secret_0123456789";

    private IdentityFixtures() {
    }

    public static TestApp start(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("orchestrator.security.bcrypt-cost", 4);
        properties.put("orchestrator.security.webhooks.stripe-secret", STRIPE_SECRET);
        properties.putAll(overrides);
        TestApp app = TestApp.start("api", properties);
        DemoData.seed(app.context());
        return app;
    }

    /** Logs in with the demo password, and with a TOTP code for an enrolled admin ({@link SecondFactor}). */
    public static Login login(TestApp app, String email) {
        Map<String, Object> body = SecondFactor.login(app, email, PASSWORD);
        String access = (String) body.get("accessToken");
        HttpResponse<Map<String, Object>> me = app.exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(access));
        return new Login((String) me.getBody().orElseThrow().get("id"), access, (String) body.get("refreshToken"));
    }

    /** A new CLIENT with the demo password. */
    public static Login newClient(TestApp app, String email) {
        app.bean(UserService.class).create(email, PASSWORD, Set.of(Roles.CLIENT)).orElseThrow();
        return login(app, email);
    }

    /** A new admin with the demo password, enrolled in TOTP with a secret {@link SecondFactor} keeps. */
    public static Login newAdmin(TestApp app, String email, Set<String> roles) {
        app.bean(UserService.class).create(email, PASSWORD, roles).orElseThrow();
        SecondFactor.enrol(app, email);
        return login(app, email);
    }

    /** Document count of every collection of the app's database. */
    public static Map<String, Long> counts(TestApp app) {
        MongoDatabase database = app.bean(MongoClient.class).getDatabase(app.bean(Database.class).name());
        Map<String, Long> counts = new TreeMap<>();
        for (String name : database.listCollectionNames()) {
            counts.put(name, database.getCollection(name).countDocuments());
        }
        return counts;
    }

    public static long audits(TestApp app, String action) {
        return app.bean(Database.class).collection(AuditRepository.COLLECTION).countDocuments(new Document("action", action));
    }

    public record Login(String userId, String accessToken, String refreshToken) {
    }
}
