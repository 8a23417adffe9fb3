package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.Role;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;

/**
 * The accounts of the local stack (DESIGN.md, "Local stack conventions"), created when missing, never changed when
 * present: {@code admin@admin-tk.local} (SUPER_ADMIN, enrolled in TOTP with {@code DEMO_TOTP_SECRET}),
 * {@code demo@admin-tk.local} (CLIENT), both with {@code DEMO_PASSWORD}; the store service account with
 * {@code STORE_API_KEY} as its only key (a changed variable retires the old key). Only in role dev: the passwords
 * are published, so the api and worker roles never seed, whatever {@code SEED_DEMO_DATA} says (and refuse to start
 * with it, see ConfigurationCheck). The demo wallet's TK-Coins belong to the wallet code.
 */
@Singleton
@Requires(condition = DemoAccounts.Seeds.class)
public class DemoAccounts {

    public static final String ADMIN_EMAIL = "admin@admin-tk.local";
    public static final String DEMO_EMAIL = "demo@admin-tk.local";
    public static final String STORE_ACCOUNT_ID = "svc_store";

    private static final Logger LOG = LoggerFactory.getLogger(DemoAccounts.class);

    /** The demo admin's TOTP secret (base32) when {@code DEMO_TOTP_SECRET} is not set. */
    public static final String DEFAULT_TOTP_SECRET = "JBSWY3DPEHPK3PXP";

    private final UserService users;
    private final TotpService totp;
    private final String password;
    private final String storeApiKey;
    private final String totpSecret;

    public DemoAccounts(UserService users, TotpService totp,
                        @Value("${orchestrator.demo.password:demo-password}") String password,
                        @Value("${orchestrator.demo.store-api-key:store-demo-key}") String storeApiKey,
                        @Value("${orchestrator.demo.totp-secret:" + DEFAULT_TOTP_SECRET + "}") String totpSecret) {
        this.users = users;
        this.totp = totp;
        this.password = password;
        this.storeApiKey = storeApiKey;
        this.totpSecret = totpSecret.trim().toUpperCase(Locale.ROOT);
        if (!this.totpSecret.matches("[A-Z2-7]{16,}=*")) {
            throw new IllegalArgumentException("DEMO_TOTP_SECRET must be base32 (A-Z, 2-7), at least 16 characters");
        }
    }

    @EventListener
    void onStartup(StartupEvent event) {
        seed();
    }

    public void seed() {
        ensure(ADMIN_EMAIL, Set.of(Roles.SUPER_ADMIN));
        users.findByEmail(ADMIN_EMAIL).filter(admin -> totp.seedEnrolled(admin.id(), totpSecret))
                .ifPresent(admin -> LOG.info("enrolled {} in TOTP with DEMO_TOTP_SECRET", ADMIN_EMAIL));
        ensure(DEMO_EMAIL, Set.of(Roles.CLIENT));
        users.upsertServiceAccount(STORE_ACCOUNT_ID, "Tienda", storeApiKey, Set.of(Roles.STORE));
    }

    private void ensure(String email, Set<String> roles) {
        if (users.findByEmail(email).isEmpty() && users.create(email, password, roles).isPresent()) {
            LOG.info("seeded {} with roles {}", email, roles);
        }
    }

    /** Role dev only. */
    public static final class Seeds implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            return context.getProperty(Role.PROPERTY, String.class).map(r -> r.trim().equalsIgnoreCase("dev")).orElse(false);
        }
    }
}
