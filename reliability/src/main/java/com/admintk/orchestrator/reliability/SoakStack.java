package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.identity.TotpService;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.localstack.EmbeddedStack;
import com.admintk.orchestrator.localstack.JavaProcess;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.payment.DemoWallet;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.plan.DemoPlans;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.store.Database;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.ApplicationContext;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local stack of one soak run, in the harness JVM so the chaos schedule can stop and start MongoDB (H2 file: the
 * data survives) and Redis: Temporal test server, MongoDB, Redis, the panel simulator, the fake Stripe and SMTP. It
 * seeds the accounts, plans and wallets through the app's own code, and starts the app jar's processes.
 */
final class SoakStack implements AutoCloseable {

    static final String PASSWORD = "demo-password";
    static final String PLAN = "paper-2g";
    static final String BIG_PLAN = "paper-8g";
    /** A plan no node can hold: every checkout of it must be 409 SOLD_OUT with nothing stored or charged. */
    static final String SOLD_OUT_PLAN = "soak-sold-out";
    static final int CUSTOMERS = 4;
    private static final String DATABASE = "soak";

    final EmbeddedStack infra;
    final PanelSimulator panel;
    final FakeStripe stripe;
    final GreenMail mail;
    final Path workDir;
    private final String appJar;
    private final List<JavaProcess> processes = new ArrayList<>();
    private ApplicationContext app;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;
    private WorkflowServiceStubs temporal;
    final List<String> customerEmails = new ArrayList<>();
    final Map<String, String> customerIds = new HashMap<>();

    SoakStack(Path workDir, String appJar) throws Exception {
        this.workDir = workDir;
        this.appJar = appJar;
        Files.createDirectories(workDir);
        infra = EmbeddedStack.start(new EmbeddedStack.Settings(0, 0, workDir.resolve("mongo.h2"), 0, null));
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofSeconds(2))
                .statsInterval(Duration.ofSeconds(2)).randomSeed(14).build()).start();
        stripe = FakeStripe.start(0, "whsec_soak_only_0123456789abcdef");
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        seed();
    }

    /** What api and worker processes are configured with: short deadlines and billing periods, everything on this stack. */
    Map<String, String> environment(String role) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORCHESTRATOR_ROLE", role);
        env.put("TEMPORAL_ADDRESS", infra.temporalTarget());
        env.put("TEMPORAL_TEST_SERVER", "true");
        env.put("MONGODB_URI", infra.mongoUri(DATABASE));
        env.put("REDIS_URI", infra.redisUri());
        env.put("PANEL_URL", panel.baseUrl());
        env.put("PANEL_APPLICATION_KEY", PanelSimulatorConfig.DEFAULT_APPLICATION_KEY);
        env.put("PANEL_CLIENT_KEY", PanelSimulatorConfig.DEFAULT_CLIENT_KEY);
        env.put("STRIPE_API_BASE", stripe.apiBase());
        env.put("STRIPE_WEBHOOK_SECRET", stripe.webhookSecret());
        env.put("STORE_WEBHOOK_SECRET", "soak-store-webhook-secret-0123456789abcdef");
        env.put("JWT_SECRET", "soak-secret-soak-secret-soak-secret-0123456789");
        env.put("ENCRYPTION_KEYS", "s1:c29hay1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=");
        env.put("ENCRYPTION_ACTIVE_KEY", "s1");
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
        env.put("WORKER_SHUTDOWN_GRACE", "5s");
        env.put("ACCESS_TOKEN_TTL", "3h");
        env.put("BCRYPT_COST", "4");
        env.put("RATE_LIMIT_PER_IP", "1000000");
        env.put("RATE_LIMIT_PER_USER", "1000000");
        env.put("RATE_LIMIT_LOGIN", "10000");
        env.put("RATE_LIMIT_LOGIN_ACCOUNT", "10000");
        // Short enough that renewals, card deadlines and installs happen within a run.
        env.put("LIFECYCLE_BILLING_PERIOD", "2m");
        env.put("CARD_PAYMENT_DEADLINE", "90s");
        env.put("TOP_UP_PAYMENT_DEADLINE", "90s");
        env.put("LIFECYCLE_RENEWAL_CARD_DEADLINE", "90s");
        env.put("INSTALL_DEADLINE", "3m");
        env.put("INSTALL_POLL_INITIAL", "1s");
        env.put("INSTALL_POLL_MAX", "3s");
        env.put("CAPACITY_PLACED_LINGER", "6s");
        env.put("CAPACITY_CACHE_TTL", "1s");
        // The checker is the judge here; the reconciler's repairs would hide what it should see.
        env.put("RECONCILIATION_ENABLED", "false");
        env.put("LIVE_STATS_ENABLED", "false");
        return env;
    }

    JavaProcess startApp(String name, String role) {
        JavaProcess process = JavaProcess.start(name, appJar, "com.admintk.orchestrator.Application", environment(role),
                List.of("-Xms64m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError"),
                workDir.resolve("processes"));
        processes.add(process);
        return process;
    }

    void track(JavaProcess process) {
        processes.add(process);
    }

    /** Accounts, plans (the demo ones and one that is always sold out) and deep wallets, through the app's code. */
    private void seed() {
        Map<String, Object> properties = new HashMap<>();
        Map<String, String> env = environment("api");
        properties.put("orchestrator.role", "api");
        properties.put("temporal.target", env.get("TEMPORAL_ADDRESS"));
        properties.put("temporal.test-server", true);
        properties.put("mongodb.uri", env.get("MONGODB_URI"));
        properties.put("redis.uri", env.get("REDIS_URI"));
        properties.put("panel.url", env.get("PANEL_URL"));
        properties.put("panel.application-key", env.get("PANEL_APPLICATION_KEY"));
        properties.put("panel.client-key", env.get("PANEL_CLIENT_KEY"));
        properties.put("orchestrator.security.jwt-secret", env.get("JWT_SECRET"));
        properties.put("orchestrator.security.encryption.keys", env.get("ENCRYPTION_KEYS"));
        properties.put("orchestrator.security.encryption.active-key", env.get("ENCRYPTION_ACTIVE_KEY"));
        properties.put("payments.stripe.webhook-secret", env.get("STRIPE_WEBHOOK_SECRET"));
        properties.put("orchestrator.security.webhooks.stripe-secret", env.get("STRIPE_WEBHOOK_SECRET"));
        properties.put("payments.stripe.api-base", env.get("STRIPE_API_BASE"));
        properties.put("notifications.store-webhook.secret", env.get("STORE_WEBHOOK_SECRET"));
        properties.put("orchestrator.reconciliation.enabled", false);
        properties.put("orchestrator.live.stats.enabled", false);
        app = ApplicationContext.builder().properties(properties).start();
        UserService users = app.getBean(UserService.class);
        DemoAccounts accounts = new DemoAccounts(users, app.getBean(TotpService.class), PASSWORD, "store-soak-key",
                DemoAccounts.DEFAULT_TOTP_SECRET);
        accounts.seed();
        PlanCatalog plans = app.getBean(PlanCatalog.class);
        new DemoPlans(plans, app.getProvider(PanelRegions.class)).seed();
        Plan base = plans.find(PLAN).orElseThrow();
        plans.save(new Plan(SOLD_OUT_PLAN, "Paper 512 GB", "Larger than any node", base.nestId(), base.eggId(),
                base.dockerImage(), base.startup(), base.environment(),
                new ServerSpec.Limits(512 * 1024, 0, base.limits().disk(), base.limits().io(), base.limits().cpu()),
                base.featureLimits(), base.locationIds(), base.portRanges(), 5000, 4999, base.currency(),
                base.billingCycle(), true, base.secretVariables(), base.egg()));
        new DemoWallet(accounts, users, app.getBean(Wallets.class)).seed();
        Wallets wallets = app.getBean(Wallets.class);
        customerEmails.add(DemoAccounts.DEMO_EMAIL);
        for (int i = 1; i < CUSTOMERS; i++) {
            String email = "soak" + i + "@admin-tk.local";
            users.create(email, "Soak customer " + i, PASSWORD, Set.of(Roles.CLIENT), true);
            customerEmails.add(email);
        }
        for (String email : customerEmails) {
            String id = users.findByEmail(email).orElseThrow().id();
            customerIds.put(email, id);
            // Deep enough for every checkout and renewal of a long run: top-ups add more on top.
            wallets.credit("soak-seed:" + id, id, 50_000_000L, "soak run");
        }
    }

    Database database() {
        return app.getBean(Database.class);
    }

    synchronized StatefulRedisConnection<String, String> redis() {
        if (redis == null || !redis.isOpen()) {
            redisClient = RedisClient.create(infra.redisUri());
            redis = redisClient.connect();
        }
        return redis;
    }

    synchronized WorkflowServiceStubs temporal() {
        if (temporal == null) {
            temporal = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget(infra.temporalTarget()).build());
        }
        return temporal;
    }

    @Override
    public void close() {
        for (JavaProcess process : processes) {
            process.stop();
        }
        if (redis != null) {
            redis.close();
            redisClient.shutdown();
        }
        if (temporal != null) {
            temporal.shutdownNow();
        }
        if (app != null) {
            app.close();
        }
        mail.stop();
        stripe.close();
        panel.close();
        infra.close();
    }
}
