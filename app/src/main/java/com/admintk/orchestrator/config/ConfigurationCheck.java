package com.admintk.orchestrator.config;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.wallet.TopUpSettings;
import com.admintk.orchestrator.server.LifecycleSettings;
import com.admintk.orchestrator.server.InstallEventsSettings;
import com.admintk.orchestrator.server.LiveStatsSettings;
import com.mongodb.ConnectionString;
import io.lettuce.core.RedisURI;
import io.micronaut.core.value.PropertyResolver;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks every external setting before the application context starts, so a bad value stops the process with
 * one line that names the setting instead of a stack trace from deep inside a driver.
 */
public final class ConfigurationCheck {

    /** HS256 needs a key of at least 256 bits. */
    static final int MIN_JWT_SECRET_BYTES = 32;
    /** Stripe's endpoint secrets are {@code whsec_} and 32 characters; anything much shorter is a typo. */
    static final int MIN_WEBHOOK_SECRET_BYTES = 16;
    /** The bootstrap SUPER_ADMIN's password: long, since it opens everything. */
    static final int MIN_ADMIN_PASSWORD_CHARS = 12;
    /** Our own signing secret for the store's webhooks: as strong as the JWT secret. */
    static final int MIN_STORE_SECRET_BYTES = 32;

    private final PropertyResolver properties;
    private final List<String> problems = new ArrayList<>();

    private ConfigurationCheck(PropertyResolver properties) {
        this.properties = properties;
    }

    /** Every problem found, each one line naming the environment variable and the property. */
    public static List<String> problems(PropertyResolver properties) {
        ConfigurationCheck check = new ConfigurationCheck(properties);
        check.run();
        return check.problems;
    }

    private void run() {
        Optional<Role> role = role();
        if (role.isEmpty()) {
            return;
        }
        check("MONGODB_URI", "mongodb.uri", uri -> {
            ConnectionString parsed = new ConnectionString(uri);
            if (parsed.getDatabase() == null) {
                throw new IllegalArgumentException("it names no database (e.g. mongodb://host:27017/admintk)");
            }
        });
        check("REDIS_URI", "redis.uri", uri -> {
            if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
                throw new IllegalArgumentException("it must start with redis:// or rediss://");
            }
            RedisURI.create(uri);
        });
        check("TEMPORAL_ADDRESS", "temporal.target", target -> {
            int colon = target.lastIndexOf(':');
            if (colon <= 0 || Integer.parseInt(target.substring(colon + 1)) <= 0) {
                throw new IllegalArgumentException("expected host:port");
            }
        });
        check("TEMPORAL_NAMESPACE", "temporal.namespace", ns -> { });
        positiveDuration("MONGODB_TIMEOUT", "orchestrator.dependencies.mongo-server-selection");
        positiveDuration("MONGODB_SOCKET_TIMEOUT", "orchestrator.dependencies.mongo-socket");
        positiveDuration("REDIS_TIMEOUT", "orchestrator.dependencies.redis-command");
        positiveDuration("TEMPORAL_CALL_DEADLINE", "orchestrator.dependencies.temporal-call");
        positiveDuration("IDEMPOTENCY_ABANDONED_AFTER", "orchestrator.idempotency.abandoned-after");
        if (role.get().runsWorkers()) {
            check("WORKER_TASK_QUEUES", "temporal.task-queues", queues -> {
                for (String queue : queues.split(",")) {
                    if (!TaskQueues.ALL.contains(queue.trim())) {
                        throw new IllegalArgumentException("unknown task queue '" + queue.trim() + "', expected some of " + TaskQueues.ALL);
                    }
                }
            });
            check("PANEL_URL", "panel.url", ConfigurationCheck::httpUrl);
            checkReconciliation();
            checkLiveStats();
            checkInstallEvents();
            check("PANEL_APPLICATION_KEY", "panel.application-key", key -> { });
            check("PANEL_CLIENT_KEY", "panel.client-key", key -> { });
        }
        if (role.get() == Role.DEV) {
            check("JWT_SECRET", "orchestrator.security.jwt-secret", secret -> {
                if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_JWT_SECRET_BYTES) {
                    throw new IllegalArgumentException("it must be at least " + MIN_JWT_SECRET_BYTES + " bytes for HS256");
                }
            });
        }
        if (role.get().servesApi()) {
            check("TEMPORAL_UI_URL", "temporal.ui-url", ConfigurationCheck::httpUrl);
        }
        checkEncryptionKeys();
        checkLifecycle();
        if (role.get() != Role.DEV) {
            checkSecrets();
            if (properties.get("orchestrator.seed-demo-data", Boolean.class).orElse(false)) {
                problems.add("SEED_DEMO_DATA (orchestrator.seed-demo-data) is true: demo data carries published passwords"
                        + " and is for ORCHESTRATOR_ROLE=dev only; create the first admin with BOOTSTRAP_ADMIN_EMAIL");
            }
        }
        if (role.get().servesApi()) {
            checkBootstrapAdmin();
            checkTopUps();
        }
    }

    /** The top-up bounds and price: the API computes the charge from them. */
    private void checkTopUps() {
        String prefix = "orchestrator.wallet.top-up.";
        try {
            String problem = new TopUpSettings(
                    Long.parseLong(properties.get(prefix + "min-coins", String.class).orElse("100").trim()),
                    Long.parseLong(properties.get(prefix + "max-coins", String.class).orElse("100000").trim()),
                    Long.parseLong(properties.get(prefix + "coin-price-minor", String.class).orElse("1").trim()),
                    properties.get(prefix + "currency", String.class).orElse("eur"),
                    properties.get(prefix + "payment-deadline", Duration.class).orElse(Duration.ofMinutes(30)))
                    .problem();
            if (problem != null) {
                problems.add(problem);
            }
        } catch (RuntimeException e) {
            problems.add("TOP_UP_* (" + prefix + "*) is invalid: " + e.getMessage());
        }
    }

    /** Reconciliation's durations, read by the workers that run the loop: a typo must not stop it silently. */
    private void checkReconciliation() {
        positiveDuration("RECONCILIATION_INTERVAL", "orchestrator.reconciliation.interval");
        positiveDuration("RECONCILIATION_ORPHAN_SAFETY_AGE", "orchestrator.reconciliation.orphan-safety-age");
        positiveDuration("RECONCILIATION_INSTALLING_STUCK_AFTER", "orchestrator.reconciliation.installing-stuck-after");
    }

    /** The stats poller and its alerts run in workers: a bad value stops them with the variable's name. */
    private void checkLiveStats() {
        String prefix = "orchestrator.live.stats.";
        try {
            String problem = new LiveStatsSettings(
                    properties.get(prefix + "enabled", Boolean.class).orElse(true),
                    duration("LIVE_STATS_INTERVAL", prefix + "interval", Duration.ofSeconds(60)),
                    duration("LIVE_STATS_LEADER_LEASE", prefix + "leader-lease", Duration.ofSeconds(150)),
                    properties.get(prefix + "leader-key", String.class).orElse("live:poller:leader"),
                    number("LIVE_STATS_MAX_SERVERS", prefix + "max-servers-per-round", 50),
                    number("LIVE_STATS_CPU_ALERT_PERCENT", prefix + "cpu-alert-percent", 90),
                    number("LIVE_STATS_MEMORY_ALERT_PERCENT", prefix + "memory-alert-percent", 90),
                    duration("LIVE_STATS_ALERT_AFTER", prefix + "alert-after", Duration.ofMinutes(5))).problem();
            if (problem != null) {
                problems.add(problem);
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /** The install watcher runs in workers: a bad value stops them with the variable's name. */
    private void checkInstallEvents() {
        String prefix = "orchestrator.install-events.";
        try {
            String problem = new InstallEventsSettings(
                    properties.get(prefix + "enabled", Boolean.class).orElse(true),
                    properties.get(prefix + "key", String.class).orElse("install:watch"),
                    properties.get(prefix + "leader-key", String.class).orElse("install:watcher:leader"),
                    duration("INSTALL_EVENTS_LEADER_LEASE", prefix + "leader-lease", Duration.ofSeconds(15)),
                    duration("INSTALL_EVENTS_SCAN_INTERVAL", prefix + "scan-interval", Duration.ofMillis(500)),
                    duration("INSTALL_EVENTS_WATCH_TTL", prefix + "watch-ttl", Duration.ofMinutes(30)),
                    number("INSTALL_EVENTS_MAX_SOCKETS", prefix + "max-sockets", 200)).problem();
            if (problem != null) {
                problems.add(problem);
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    private Duration duration(String env, String property, Duration fallback) {
        String raw = properties.get(property, String.class).orElse("").trim();
        if (raw.isEmpty()) {
            return fallback;
        }
        return properties.get(property, Duration.class).orElseThrow(() -> new IllegalArgumentException(env + " ("
                + property + ") is invalid: expected a duration such as 30s, 5m or 1h, got '" + raw + "'"));
    }

    private int number(String env, String property, int fallback) {
        String raw = properties.get(property, String.class).orElse("").trim();
        try {
            return raw.isEmpty() ? fallback : Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(env + " (" + property + ") is invalid: expected a whole number, got '"
                    + raw + "'");
        }
    }

    private void positiveDuration(String env, String property) {
        if (properties.get(property, String.class).orElse("").isBlank()) {
            return; // the setting's default applies
        }
        Optional<Duration> value = properties.get(property, Duration.class);
        if (value.isEmpty() || value.get().isNegative() || value.get().isZero()) {
            problems.add(env + " (" + property + ") is invalid: expected a positive duration such as 10m, 24h or 30s");
        }
    }

    /** The first SUPER_ADMIN's password: only checked when a bootstrap email is given. */
    private void checkBootstrapAdmin() {
        String email = properties.get("orchestrator.bootstrap-admin.email", String.class).orElse("").trim();
        if (email.isEmpty()) {
            return;
        }
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            problems.add("BOOTSTRAP_ADMIN_EMAIL (orchestrator.bootstrap-admin.email) is invalid: expected an email address");
        }
        check("BOOTSTRAP_ADMIN_PASSWORD", "orchestrator.bootstrap-admin.password", password -> {
            int bytes = password.getBytes(StandardCharsets.UTF_8).length;
            if (password.length() < MIN_ADMIN_PASSWORD_CHARS || bytes > 71) {
                throw new IllegalArgumentException("it must be " + MIN_ADMIN_PASSWORD_CHARS + " characters to 71 bytes long");
            }
            if (PublishedSecrets.isPublished(password) || password.equals("demo-password")) {
                throw new IllegalArgumentException("it is a value published in the repository; choose your own");
            }
        });
    }

    /**
     * Outside the local stack every signing and encryption secret must be set, long enough, and not a value this
     * repository publishes, whatever the Micronaut environment: a leaked default lets anyone mint admin tokens or
     * mark a card order paid.
     */
    private void checkSecrets() {
        secret("JWT_SECRET", "orchestrator.security.jwt-secret", MIN_JWT_SECRET_BYTES);
        secret("STRIPE_WEBHOOK_SECRET", "payments.stripe.webhook-secret", MIN_WEBHOOK_SECRET_BYTES);
        secret("STORE_WEBHOOK_SECRET", "notifications.store-webhook.secret", MIN_STORE_SECRET_BYTES);
        check("ENCRYPTION_KEYS", "orchestrator.security.encryption.keys", keys -> {
            for (String entry : keys.split(",")) {
                int colon = entry.indexOf(':');
                if (PublishedSecrets.isPublished(colon < 0 ? entry : entry.substring(colon + 1))) {
                    throw new IllegalArgumentException("key '" + (colon < 0 ? "?" : entry.substring(0, colon).trim())
                            + "' is a value published in the repository; generate one (openssl rand -base64 32)");
                }
            }
        });
    }

    private void secret(String env, String property, int minBytes) {
        check(env, property, value -> {
            if (value.getBytes(StandardCharsets.UTF_8).length < minBytes) {
                throw new IllegalArgumentException("it must be at least " + minBytes + " bytes");
            }
            if (PublishedSecrets.isPublished(value)) {
                throw new IllegalArgumentException("it is a value published in the repository; set a secret of your own");
            }
        });
    }

    /**
     * The lifecycle rules every order carries. Unset values take their defaults; a value that is set must be
     * readable, since a typo would otherwise leave servers on rules nobody chose.
     */
    private void checkLifecycle() {
        optional("LIFECYCLE_DUNNING_OFFSETS", "orchestrator.lifecycle.dunning-offsets",
                LifecycleSettings::offsetsSeconds);
        for (String[] setting : new String[][]{
                {"LIFECYCLE_GRACE_PERIOD", "orchestrator.lifecycle.grace-period"},
                {"LIFECYCLE_RENEWAL_CARD_DEADLINE", "orchestrator.lifecycle.renewal-card-deadline"},
                {"LIFECYCLE_FORCE_DELETE_AFTER", "orchestrator.lifecycle.force-delete-after"},
                {"LIFECYCLE_NODE_RECHECK", "orchestrator.lifecycle.node-recheck"},
                {"LIFECYCLE_BILLING_PERIOD", "orchestrator.lifecycle.billing-period"}}) {
            optional(setting[0], setting[1], LifecycleSettings::duration);
        }
        optional("LIFECYCLE_HISTORY_LIMIT", "orchestrator.lifecycle.history-limit", limit -> {
            if (Integer.parseInt(limit) <= 0) {
                throw new IllegalArgumentException("it must be a positive number of transitions");
            }
        });
    }

    /** A setting with a default: checked only when present. */
    private void optional(String env, String property, Rule rule) {
        if (!properties.get(property, String.class).orElse("").isBlank()) {
            check(env, property, rule);
        }
    }

    // ---- identity (issue 4): keys for secrets at rest, needed by every role (workers read panel keys too) ----
    private void checkEncryptionKeys() {
        check("ENCRYPTION_KEYS", "orchestrator.security.encryption.keys", keys -> {
            java.util.Map<String, ?> parsed = com.admintk.orchestrator.security.SecretCipher.parseKeys(keys);
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("expected id:base64key entries separated by commas");
            }
            String active = properties.get("orchestrator.security.encryption.active-key", String.class).orElse("").trim();
            if (!parsed.containsKey(active)) {
                throw new IllegalArgumentException("ENCRYPTION_ACTIVE_KEY '" + active + "' is not one of its key ids " + parsed.keySet());
            }
        });
    }
    // ---- end identity ----

    private Optional<Role> role() {
        String value = properties.get(Role.PROPERTY, String.class).orElse("");
        try {
            return Optional.of(Role.parse(value));
        } catch (IllegalArgumentException e) {
            problems.add("ORCHESTRATOR_ROLE (" + Role.PROPERTY + ") is '" + value + "': expected api, worker or dev");
            return Optional.empty();
        }
    }

    private void check(String env, String property, Rule rule) {
        String value = properties.get(property, String.class).orElse("").trim();
        if (value.isEmpty()) {
            problems.add(env + " (" + property + ") is missing or empty");
            return;
        }
        try {
            rule.accept(value);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            problems.add(env + " (" + property + ") is invalid: " + reason.replaceAll("\\s+", " "));
        }
    }

    private static void httpUrl(String value) {
        URI uri = URI.create(value);
        boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!http || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http(s) URL, got '" + value + "'");
        }
    }

    @FunctionalInterface
    private interface Rule {
        void accept(String value);

    }
}
