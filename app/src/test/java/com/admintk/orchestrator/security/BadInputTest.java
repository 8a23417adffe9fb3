package com.admintk.orchestrator.security;

import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hundreds of malformed requests: each is a 4xx in the error shape, none is a 5xx, nothing is written. */
class BadInputTest {

    private static TestApp app;
    private static String admin;
    private static String client;
    private static String clientId;

    @BeforeAll
    static void start() {
        app = IdentityFixtures.start(Map.of("orchestrator.security.rate-limit.per-ip-per-minute", 100000,
                "orchestrator.security.rate-limit.login-per-minute", 100000,
                "orchestrator.security.rate-limit.per-user-per-minute", 100000));
        admin = IdentityFixtures.login(app, DemoAccounts.ADMIN_EMAIL).accessToken();
        IdentityFixtures.Login demo = IdentityFixtures.login(app, DemoAccounts.DEMO_EMAIL);
        client = demo.accessToken();
        clientId = demo.userId();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    record Target(HttpMethod method, String path, String token) {
    }

    @Test
    void malformedRequestsAreRejectedInTheErrorShapeAndWriteNothing() {
        List<Target> targets = List.of(
                new Target(HttpMethod.POST, "/api/v1/auth/login", null),
                new Target(HttpMethod.POST, "/api/v1/auth/login/totp", null),
                new Target(HttpMethod.POST, "/api/v1/auth/totp/enrolment/confirm", admin),
                new Target(HttpMethod.POST, "/api/v1/auth/refresh", null),
                new Target(HttpMethod.POST, "/api/v1/auth/logout", client),
                new Target(HttpMethod.PUT, "/api/v1/admin/users/" + clientId + "/roles", admin),
                new Target(HttpMethod.POST, "/api/v1/payments/webhooks/stripe", null));
        List<byte[]> bodies = new ArrayList<>();
        for (String json : List.of(
                // wrong types
                "{\"email\":123,\"password\":true}", "{\"email\":[],\"password\":{}}", "{\"refreshToken\":42}",
                "{\"roles\":\"ADMIN\"}", "{\"roles\":[1,2]}", "[]", "\"text\"", "42", "null", "true",
                // missing fields
                "{}", "{\"email\":\"a@b.c\"}", "{\"password\":\"x\"}", "{\"roles\":[]}",
                // unknown fields
                "{\"email\":\"a@b.c\",\"password\":\"x\",\"admin\":true}", "{\"refreshToken\":\"rt_x\",\"extra\":1}",
                "{\"roles\":[\"CLIENT\"],\"email\":\"x\"}", "{\"roles\":[\"CLIENT\"],\"isSuper\":true}",
                // operator-looking values and keys
                "{\"email\":{\"$gt\":\"\"},\"password\":{\"$gt\":\"\"}}", "{\"$where\":\"1==1\"}",
                "{\"email\":\"a@b.c\",\"password\":{\"$ne\":null}}", "{\"refreshToken\":{\"$regex\":\".*\"}}",
                "{\"roles\":[{\"$gt\":\"\"}]}", "{\"a.b\":1}", "{\"email\":\"a@b.c\",\"pass.word\":\"x\"}",
                "{\"roles\":[\"CLIENT\"],\"$set\":{\"roles\":[\"SUPER_ADMIN\"]}}",
                // invalid values
                "{\"email\":\"not-an-email\",\"password\":\"x\"}", "{\"refreshToken\":\"rt_short\"}",
                "{\"mfaToken\":\"mfa_short\",\"code\":\"123456\"}", "{\"code\":\"12345\"}", "{\"code\":\"1234567\"}",
                "{\"code\":{\"$regex\":\".*\"}}", "{\"mfaToken\":\"mfa_" + "a".repeat(43) + "\",\"code\":\"12ab56\"}",
                "{\"roles\":[\"GOD\"]}", "{\"email\":\"" + "a".repeat(300) + "@b.c\",\"password\":\"x\"}",
                // broken JSON
                "{", "{\"email\":", "{'email':'a'}", "{\"email\":\"a\"}}", "\u0000")) {
            bodies.add(json.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(("{\"email\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8)); // huge
        bodies.add(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8)); // deep
        bodies.add(("{\"a\":".repeat(40) + "1" + "}".repeat(40)).getBytes(StandardCharsets.UTF_8)); // deep
        bodies.add(new byte[]{'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}); // invalid UTF-8
        bodies.add(new byte[]{'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'});

        Map<String, Long> before = IdentityFixtures.counts(app);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Target target : targets) {
            for (byte[] body : bodies) {
                sent += check(failures, target, "application/json", body);
            }
            // wrong content types
            for (String type : List.of("text/plain", "application/xml", "application/octet-stream", "text/csv")) {
                sent += check(failures, target, type, "email=a@b.c&password=x".getBytes(StandardCharsets.UTF_8));
            }
        }
        // bad parameters
        for (String query : List.of("page=-1", "size=0", "size=100000", "page=abc", "from=yesterday", "to=1/2/3",
                "actor=%24gt", "action=lower", "action=" + "A".repeat(100), "size=1e9")) {
            sent += check(failures, new Target(HttpMethod.GET, "/api/v1/admin/audit?" + query, admin), null, null);
        }
        for (String id : List.of("abc", "usr_XYZ", "%24gt", "usr_" + "0".repeat(23), "1")) {
            sent += check(failures, new Target(HttpMethod.PUT, "/api/v1/admin/users/" + id + "/roles", admin), "application/json",
                    "{\"roles\":[\"CLIENT\"]}".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " failed:\n" + String.join("\n", failures));
        assertTrue(sent >= 200, "sent " + sent);
        assertEquals(before, IdentityFixtures.counts(app), "nothing written");
    }

    @Test
    void unknownOrOperatorFieldsNameTheFieldInDetails() {
        HttpResponse<Map<String, Object>> unknown = app.exchange(HttpRequest.POST("/api/v1/auth/login",
                "{\"email\":\"a@b.c\",\"password\":\"x\",\"admin\":true}"));
        assertEquals(400, unknown.code());
        assertEquals("UNKNOWN_FIELD", TestApp.error(unknown).get("code"));
        assertEquals("admin", ((Map<?, ?>) TestApp.error(unknown).get("details")).get("field"));
        HttpResponse<Map<String, Object>> operator = app.exchange(HttpRequest.POST("/api/v1/auth/login",
                "{\"email\":{\"$gt\":\"\"},\"password\":\"x\"}"));
        assertEquals("FORBIDDEN_KEY", TestApp.error(operator).get("code"));
        assertEquals("email.$gt", ((Map<?, ?>) TestApp.error(operator).get("details")).get("field"));
    }

    private static int check(List<String> failures, Target target, String contentType, byte[] body) {
        MutableHttpRequest<?> request = HttpRequest.create(target.method(), target.path());
        if (body != null) {
            request = request.body(body);
        }
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        if (target.token() != null) {
            request = request.bearerAuth(target.token());
        }
        HttpResponse<Map<String, Object>> response;
        try {
            response = app.exchange(request);
        } catch (RuntimeException e) {
            failures.add(describe(target, contentType, body) + ": no answer " + e);
            return 1;
        }
        boolean shaped = response.getBody().map(b -> b.get("error") instanceof Map<?, ?> error
                && error.get("code") != null && error.get("message") != null).orElse(false);
        if (response.code() < 400 || response.code() >= 500 || !shaped) {
            failures.add(describe(target, contentType, body) + " -> " + response.code() + " " + response.getBody().orElse(null));
        }
        return 1;
    }

    private static String describe(Target target, String contentType, byte[] body) {
        String text = body == null ? "" : new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8);
        return target.method() + " " + target.path() + " [" + contentType + "] " + text;
    }
}
