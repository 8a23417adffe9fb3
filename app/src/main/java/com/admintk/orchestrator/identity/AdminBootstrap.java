package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;

/**
 * The first SUPER_ADMIN of a production installation, from {@code BOOTSTRAP_ADMIN_EMAIL} and
 * {@code BOOTSTRAP_ADMIN_PASSWORD}. Used only while no SUPER_ADMIN exists: once one does, the variables are ignored
 * (and should be removed), so they can never reset a password or promote anyone. An email that already belongs to
 * another account is not promoted either.
 */
@Singleton
@Requires(condition = ServesApi.class)
@Requires(property = "orchestrator.bootstrap-admin.email", pattern = ".*\\S.*")
public class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    private final UserService users;
    private final AuditLog audit;
    private final String email;
    private final String password;

    public AdminBootstrap(UserService users, AuditLog audit,
                          @Value("${orchestrator.bootstrap-admin.email}") String email,
                          @Value("${orchestrator.bootstrap-admin.password:}") String password) {
        this.users = users;
        this.audit = audit;
        this.email = email.trim();
        this.password = password;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        bootstrap();
    }

    /** @return true when this call created the SUPER_ADMIN */
    public boolean bootstrap() {
        if (users.anySuperAdmin()) {
            LOG.info("BOOTSTRAP_ADMIN_EMAIL ignored: a SUPER_ADMIN exists (remove the bootstrap variables)");
            return false;
        }
        if (users.findByEmail(email).isPresent()) {
            LOG.warn("BOOTSTRAP_ADMIN_EMAIL {} belongs to an existing account: not promoted, no SUPER_ADMIN created", email);
            return false;
        }
        if (password == null || password.length() < 12) {
            LOG.warn("BOOTSTRAP_ADMIN_PASSWORD missing or shorter than 12 characters: no SUPER_ADMIN created");
            return false;
        }
        // Two API instances starting together: the unique email index lets one of them create it.
        boolean created = users.create(email, "Administrator", password, Set.of(Roles.SUPER_ADMIN), true).isPresent();
        if (created) {
            LOG.info("Bootstrap SUPER_ADMIN {} created; remove BOOTSTRAP_ADMIN_PASSWORD from the environment", email);
            audit.record("system", null, "BOOTSTRAP_ADMIN_CREATED", "email:" + email, AuditLog.SUCCESS, null, null, null, Map.of());
        }
        return created;
    }
}
