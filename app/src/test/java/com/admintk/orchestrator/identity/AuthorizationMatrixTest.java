package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.testing.SecondFactor;
import com.admintk.orchestrator.testing.TestApp;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.OrderDocument;
import com.admintk.orchestrator.order.OrderIds;
import com.admintk.orchestrator.order.OrderStatus;
import com.admintk.orchestrator.order.OrderStore;
import com.admintk.orchestrator.order.ServerRecord;
import com.admintk.orchestrator.server.ServerStore;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.wallet.TopUp;
import com.admintk.orchestrator.wallet.TopUpStore;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route the router knows, attacked six ways. A route that is not in {@link #PUBLIC} and answers anything but
 * 401 to an anonymous caller fails this test, so a new endpoint cannot be born unprotected.
 */
class AuthorizationMatrixTest {

    /** Routes that are meant to be reachable without a token (they authenticate otherwise, or are operations). */
    static final Set<String> PUBLIC = Set.of(
            "POST /api/v1/auth/login",
            "POST /api/v1/auth/login/totp",
            "POST /api/v1/auth/refresh",
            "POST /api/v1/auth/register",
            "GET /api/v1/auth/verify",
            "POST /api/v1/auth/verify",
            "POST /api/v1/auth/password/forgot",
            "POST /api/v1/auth/password/reset",
            "POST /api/v1/payments/webhooks/stripe",
            // the live WebSocket: browsers cannot send a header on it, the token is its first message
            // (LiveSocketEndToEndTest covers its authentication)
            "GET /api/v1/ws");

    /** Routes for the store and staff only: a CLIENT gets 403 whatever it names. */
    static boolean storeOrStaffOnly(String template) {
        return template.startsWith("/api/v1/admin") || template.startsWith("/api/v1/customers/");
    }

    /** Paths outside the API that are public by design (operations). */
    static boolean operations(String path) {
        return !path.startsWith("/api/");
    }

    /**
     * How to name a resource that belongs to ANOTHER client, per path variable. Endpoints with client-owned
     * resources add a fixture here (e.g. an order of client B for {@code orderId}); by default a well-formed id
     * owned by client B (or of nobody), which must answer 404, never 403 or 2xx.
     */
    static final Map<String, Function<Fixture, String>> OTHER_CLIENTS_RESOURCE = Map.of(
            "id", f -> f.clientB.userId(),
            "orderId", Fixture::clientBOrder,
            "serverId", Fixture::clientBServer,
            "topUpId", Fixture::clientBTopUp);

    record Fixture(IdentityFixtures.Login admin, IdentityFixtures.Login clientA, IdentityFixtures.Login clientB,
                   String clientBOrder, String clientBServer, String clientBTopUp) {
    }

    private static TestApp app;
    private static Fixture fixture;

    @BeforeAll
    static void start() {
        app = IdentityFixtures.start(Map.of("orchestrator.security.rate-limit.per-ip-per-minute", 100000,
                "orchestrator.security.rate-limit.per-user-per-minute", 100000));
        IdentityFixtures.Login clientB = IdentityFixtures.newClient(app, "client-b@example.test");
        String order = "ord_" + "b".repeat(24);
        app.bean(OrderStore.class).create(new OrderDocument(order, clientB.userId(), clientB.userId(), "paper-2g",
                "B's server", Map.of(), PaymentMethod.TKCOINS, 1, OrderStatus.PROCESSING, null, null, List.of(), null, null,
                Set.of()));
        // B's delivered server: every server route must answer 404 to client A for it, never 403 or 2xx.
        String server = OrderIds.serverId(order);
        app.bean(ServerStore.class).record(new ServerRecord(server, order, clientB.userId(), "paper-2g", "B's server",
                OrderIds.externalId(order), 7, "uuid-of-b", "bbbbbbbb", 3, 1, BillingCycle.MONTHLY,
                System.currentTimeMillis() + 86_400_000L, PaymentMethod.TKCOINS, 500, 0, "EUR",
                System.currentTimeMillis()));
        String topUp = "top_" + "b".repeat(24);
        app.bean(TopUpStore.class).createOnce(TopUp.pending(topUp, clientB.userId(), 500, 500, "eur"));
        fixture = new Fixture(IdentityFixtures.login(app, DemoAccounts.ADMIN_EMAIL),
                IdentityFixtures.login(app, DemoAccounts.DEMO_EMAIL), clientB, order, server, topUp);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyProtectedRouteRejectsMissingExpiredForeignAndUnsignedTokensAndClientsOnOthersOrAdminResources() throws Exception {
        String secret = app.context().getRequiredProperty("orchestrator.security.jwt-secret", String.class);
        String adminId = fixture.admin().userId();
        Map<String, String> badTokens = Map.of(
                "expired", hs256(secret, adminId, new Date(System.currentTimeMillis() - 3_600_000)),
                "foreign key", hs256("another-secret-another-secret-another-secret!!", adminId, future()),
                "alg none", unsigned(adminId));

        Map<String, Long> before = IdentityFixtures.counts(app);
        List<String> failures = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>();
        for (UriRouteInfo<?, ?> route : app.bean(Router.class).uriRoutes().toList()) {
            String method = route.getHttpMethodName();
            // Query templates ({?page,size}) are not part of the path.
            String template = route.getUriMatchTemplate().toString().replaceAll("\\{\\?[^}]*}", "");
            String key = method + " " + template;
            if (operations(template) || PUBLIC.contains(key) || !tried.add(key) || method.equals("OPTIONS") || method.equals("HEAD")) {
                continue;
            }
            String path = expand(template, var -> OTHER_CLIENTS_RESOURCE.getOrDefault(var, f -> "usr_000000000000000000000000").apply(fixture));

            expect(failures, key, "no token", request(method, path), 401);
            for (Map.Entry<String, String> bad : badTokens.entrySet()) {
                expect(failures, key, bad.getKey(), request(method, path).bearerAuth(bad.getValue()), 401);
            }
            expect(failures, key, "store API key", request(method, path).header(ApiKeyAuthenticationFetcher.HEADER, IdentityFixtures.STORE_KEY),
                    storeMayCall(key) ? -1 : 403);
            if (storeOrStaffOnly(template)) {
                expect(failures, key, "CLIENT on admin endpoint", request(method, path).bearerAuth(fixture.clientA().accessToken()), 403);
            } else if (template.contains("{")) {
                expect(failures, key, "CLIENT on another client's resource", request(method, path).bearerAuth(fixture.clientA().accessToken()), 404);
            }
        }
        assertTrue(tried.size() >= 5, "the router exposes the API routes: " + tried);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(before, IdentityFixtures.counts(app), "nothing changed in MongoDB");
    }

    @Test
    void superAdminOnlyRoleManagementRejectsAnAdmin() {
        IdentityFixtures.Login admin2 = IdentityFixtures.newClient(app, "admin2@example.test");
        app.bean(UserService.class).setRoles(admin2.userId(), Set.of(Roles.ADMIN));
        SecondFactor.enrol(app, "admin2@example.test");
        IdentityFixtures.Login asAdmin = IdentityFixtures.login(app, "admin2@example.test");
        assertEquals(200, app.exchange(HttpRequest.GET("/api/v1/admin/users").bearerAuth(asAdmin.accessToken())).code());
        HttpResponse<Map<String, Object>> denied = app.exchange(HttpRequest.PUT("/api/v1/admin/users/" + fixture.clientB().userId() + "/roles",
                Map.of("roles", List.of("ADMIN"))).bearerAuth(asAdmin.accessToken()));
        assertEquals(403, denied.code());
        assertEquals("FORBIDDEN", TestApp.error(denied).get("code"));
    }

    @Test
    void anAdminWithoutASecondFactorReachesOnlyTheEnrolmentRoutes() {
        String email = "unenrolled-admin@example.test";
        app.bean(UserService.class).create(email, IdentityFixtures.PASSWORD, Set.of(Roles.SUPER_ADMIN)).orElseThrow();
        String restricted = IdentityFixtures.login(app, email).accessToken();

        Map<String, Long> before = IdentityFixtures.counts(app);
        List<String> failures = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>();
        for (UriRouteInfo<?, ?> route : app.bean(Router.class).uriRoutes().toList()) {
            String method = route.getHttpMethodName();
            String template = route.getUriMatchTemplate().toString().replaceAll("\\{\\?[^}]*}", "");
            String key = method + " " + template;
            if (operations(template) || PUBLIC.contains(key) || !tried.add(key) || method.equals("OPTIONS") || method.equals("HEAD")
                    || SecondFactorGate.OPEN_WITHOUT_SECOND_FACTOR.contains(template)) {
                continue;
            }
            String path = expand(template, var -> OTHER_CLIENTS_RESOURCE.getOrDefault(var, f -> "usr_000000000000000000000000").apply(fixture));
            HttpResponse<Map<String, Object>> response = app.exchange(request(method, path).bearerAuth(restricted));
            Object code = response.getBody().map(b -> b.get("error") instanceof Map<?, ?> e ? e.get("code") : null).orElse(null);
            if (response.code() != 403 || !"MFA_ENROLMENT_REQUIRED".equals(code)) {
                failures.add(key + ": expected 403 MFA_ENROLMENT_REQUIRED, got " + response.code() + " " + response.getBody().orElse(null));
            }
        }
        assertTrue(tried.size() >= 10, "the router exposes the API routes: " + tried);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(before, IdentityFixtures.counts(app), "nothing changed in MongoDB");
        // the enrolment routes are for admins only
        for (String path : List.of("/api/v1/auth/totp/enrolment", "/api/v1/auth/totp/enrolment/confirm")) {
            assertEquals(403, app.exchange(request("POST", path).bearerAuth(fixture.clientA().accessToken())).code(), path);
        }
    }

    private static boolean storeMayCall(String key) {
        return key.equals("POST /api/v1/orders") || key.equals("GET /api/v1/plans")
                || key.equals("PUT /api/v1/customers/external/{storeCustomerId}");
    }

    private static void expect(List<String> failures, String route, String attempt, MutableHttpRequest<?> request, int status) {
        if (status < 0) {
            // allowed: any answer but a 5xx, whatever JSON it carries (GET /api/v1/plans is a list)
            HttpResponse<?> response;
            try {
                response = app.http().exchange(request, String.class);
            } catch (HttpClientResponseException e) {
                response = e.getResponse();
            }
            if (response.code() >= 500) {
                failures.add(route + " / " + attempt + ": 5xx " + response.getBody(String.class).orElse(null));
            }
            return;
        }
        HttpResponse<Map<String, Object>> response = app.exchange(request);
        boolean shaped = response.getBody().map(b -> b.get("error") instanceof Map).orElse(false);
        if (status > 0 && (response.code() != status || !shaped)) {
            failures.add(route + " / " + attempt + ": expected " + status + " in the error shape, got " + response.code()
                    + " " + response.getBody().orElse(null));
        }
        if (response.code() >= 500) {
            failures.add(route + " / " + attempt + ": 5xx " + response.getBody().orElse(null));
        }
    }

    private static MutableHttpRequest<?> request(String method, String path) {
        HttpMethod m = HttpMethod.parse(method);
        if (m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH) {
            return HttpRequest.create(m, path).contentType(MediaType.APPLICATION_JSON_TYPE).body("{}");
        }
        return HttpRequest.create(m, path);
    }

    private static String expand(String template, Function<String, String> value) {
        Matcher m = Pattern.compile("\\{([^}:?/]+)[^}]*}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(value.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Date future() {
        return new Date(System.currentTimeMillis() + 600_000);
    }

    static String hs256(String secret, String subject, Date expires) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(subject, expires));
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static String unsigned(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims(subject, future()).toString().getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    private static JWTClaimsSet claims(String subject, Date expires) {
        return new JWTClaimsSet.Builder().subject(subject).claim("roles", List.of("ADMIN", "SUPER_ADMIN", "CLIENT"))
                .issueTime(new Date(expires.getTime() - 900_000)).notBeforeTime(new Date(expires.getTime() - 900_000))
                .expirationTime(expires).build();
    }
}
