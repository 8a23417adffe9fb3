package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.identity.TotpService;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.store.Database;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The authenticator app of the tests: it knows the TOTP secrets of the admins the tests log in as (the demo admin's
 * seeded one, and those it enrolled) and makes their codes with the library's generator, as a phone would.
 * <p>
 * The app refuses a code of a time step already used by the account, so a second login of the same admin in the same
 * 30 s step waits for the next step here: the rule stays as strict for tests as for everyone.
 */
public final class SecondFactor {

    public static final int PERIOD_SECONDS = 30;

    /** Secret per app database and account email. */
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    /** The newest time step each account of each app has spent, as far as the tests know. */
    private static final Map<String, Long> SPENT = new ConcurrentHashMap<>();

    private SecondFactor() {
    }

    /** Enrols an existing admin with a fresh secret this authenticator keeps, as the demo seeder does. */
    public static String enrol(TestApp app, String email) {
        String secret = new DefaultSecretGenerator().generate();
        String userId = app.bean(UserService.class).findByEmail(email).orElseThrow().id();
        if (!app.bean(TotpService.class).seedEnrolled(userId, secret)) {
            throw new IllegalStateException(email + " is enrolled already");
        }
        SECRETS.put(key(app, email), secret);
        return secret;
    }

    public static String secretOf(TestApp app, String email) {
        String secret = SECRETS.get(key(app, email));
        if (secret == null && email.equals(DemoAccounts.ADMIN_EMAIL)) {
            return DemoAccounts.DEFAULT_TOTP_SECRET;
        }
        if (secret == null) {
            throw new IllegalStateException("no TOTP secret known for " + email);
        }
        return secret;
    }

    /** Remembers a secret enrolled over HTTP, so later logins of that account can make codes. */
    public static void remember(TestApp app, String email, String secret) {
        SECRETS.put(key(app, email), secret);
    }

    /**
     * A code of a time step this account has not used yet, waiting for the next step when needed.
     * Synchronised: two test threads must not pick the same step for one account.
     */
    public static synchronized String nextCode(TestApp app, String email) {
        String key = key(app, email);
        long step = currentStep();
        Long spent = SPENT.get(key);
        while (spent != null && step <= spent) {
            sleepUntilStep(spent + 1);
            step = currentStep();
        }
        SPENT.put(key, step);
        return code(secretOf(app, email), step);
    }

    /** Marks the current step as spent for the account (e.g. after a code was sent by hand). */
    public static synchronized void spent(TestApp app, String email, long step) {
        SPENT.merge(key(app, email), step, Math::max);
    }

    public static long currentStep() {
        return System.currentTimeMillis() / 1000 / PERIOD_SECONDS;
    }

    public static void sleepUntilStep(long step) {
        long wait = step * PERIOD_SECONDS * 1000 - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait + 50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static String code(String secret, long step) {
        try {
            return new DefaultCodeGenerator().generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Logs in with the password and, when the answer asks for it, the second factor.
     * @return the body of the answer with the token pair
     */
    public static Map<String, Object> login(TestApp app, String email, String password) {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("email", email, "password", password)));
        assertEquals(200, response.code(), () -> "login " + email + ": " + response.getBody().orElse(null));
        Map<String, Object> body = response.getBody().orElseThrow();
        if (!Boolean.TRUE.equals(body.get("mfaRequired"))) {
            return body;
        }
        HttpResponse<Map<String, Object>> second = app.exchange(HttpRequest.POST("/api/v1/auth/login/totp",
                Map.of("mfaToken", body.get("mfaToken"), "code", nextCode(app, email))));
        assertEquals(200, second.code(), () -> "second step of " + email + ": " + second.getBody().orElse(null));
        return second.getBody().orElseThrow();
    }

    private static String key(TestApp app, String email) {
        return app.bean(Database.class).name() + "/" + email;
    }
}
