package com.admintk.orchestrator.benchmarks;

import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.identity.TotpService;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.localstack.EmbeddedStack;
import com.admintk.orchestrator.localstack.JavaProcess;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.DemoWallet;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.plan.DemoPlans;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.server.ServerStore;
import com.admintk.orchestrator.store.Database;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micronaut.context.ApplicationContext;
import io.temporal.client.WorkflowClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack of one group of scenarios, in the harness JVM: Temporal test server, MongoDB (memory), Redis, the
 * panel simulator, the fake Stripe and an SMTP server, with the demo data seeded through the app's own code. Each
 * group gets a fresh one, so one group's open workflows do not weigh on the next.
 */
final class Stack implements AutoCloseable {

    static final String PASSWORD = "demo-password";
    static final String PLAN = "paper-2g";
    private static final String DATABASE = "bench";
    /** Production-like: C2 on, a fixed heap ceiling so RSS figures are comparable between runs; the same for every JVM. */
    private static final java.nio.file.Path PROCESS_LOGS = java.nio.file.Path.of("benchmarks", "target", "processes");
    /** Each app JVM logs its collector's pauses to {@link #gcLog}, read by {@link Stalls}. */
    static final List<String> FLAGS = List.of("-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
            "-Xlog:gc:file=" + PROCESS_LOGS.toAbsolutePath() + "/gc-%p.log:utctime");

    final EmbeddedStack infra;
    final PanelSimulator panel;
    final FakeStripe stripe;
    final GreenMail mail;
    private final List<JavaProcess> processes = new ArrayList<>();
    private ApplicationContext app;
    String demoCustomerId;
    PlanSnapshot plan;

    private Stack(PanelSimulatorConfig panelConfig) {
        infra = EmbeddedStack.start(EmbeddedStack.Settings.forTests());
        panel = new PanelSimulator(panelConfig).start();
        stripe = FakeStripe.start(0, "whsec_bench_only_0123456789abcdef");
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
    }

    /**
     * {@code serversPerNode}: room added to each of the simulator's two nodes (see
     * {@link PanelSimulator#enlargeNodes}). Checkouts reserve room, and the scenarios without a worker never give it
     * back, so the panel must hold every checkout the group makes.
     */
    static Stack start(PanelSimulatorConfig panelConfig, int serversPerNode) {
        Stack stack = new Stack(panelConfig);
        stack.panel.enlargeNodes(serversPerNode);
        stack.seed();
        return stack;
    }

    /** Zero-latency installs and no panel limit: the orchestrator is all that is measured. */
    static PanelSimulatorConfig unlimitedPanel() {
        return PanelSimulatorConfig.builder().port(0).installTime(Duration.ZERO).rateLimitPerMinute(1_000_000)
                .clientRateLimitPerMinute(1_000_000).statsInterval(Duration.ofSeconds(30)).randomSeed(15).build();
    }

    /** What api and worker processes are configured with: the rate limits raised, everything on this stack. */
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
        env.put("STORE_WEBHOOK_SECRET", "bench-store-webhook-secret-0123456789abcdef");
        env.put("JWT_SECRET", "bench-secret-bench-secret-bench-secret-0123456789");
        env.put("ENCRYPTION_KEYS", "b1:YmVuY2gtb25seS1lbmNyeXB0aW9uLWtleS0zMi1ieXQ=");
        env.put("ENCRYPTION_ACTIVE_KEY", "b1");
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
        env.put("WORKER_SHUTDOWN_GRACE", "5s");
        env.put("ACCESS_TOKEN_TTL", "2h");
        env.put("BCRYPT_COST", "4");
        // Raised, not off: every checkout still takes its permits from Redis, as in production.
        env.put("RATE_LIMIT_PER_IP", "10000000");
        env.put("RATE_LIMIT_PER_USER", "10000000");
        env.put("RATE_LIMIT_LOGIN", "10000");
        env.put("RATE_LIMIT_LOGIN_ACCOUNT", "10000");
        // The api's capacity reads of the panel (every CAPACITY_CACHE_TTL while checkouts come in) under no panel
        // limit of ours, as the worker's in the saga scenario; scenario 3 gives its api the workers' limit instead.
        if (role.equals("api")) {
            env.put("PANEL_RATE_LIMIT_PER_MINUTE", "1000000");
            env.put("PANEL_RATE_LIMIT_BURST", "100000");
            env.put("PANEL_RATE_LIMIT_KEY", "bench:panel:api-unlimited");
        }
        // Background loops that would add panel calls and CPU to figures that are not about them.
        env.put("RECONCILIATION_ENABLED", "false");
        env.put("LIVE_STATS_ENABLED", "false");
        return env;
    }

    JavaProcess startApp(String name, String role, Map<String, String> overrides, List<String> flags) {
        Map<String, String> env = environment(role);
        env.putAll(overrides);
        List<String> allFlags = new ArrayList<>(FLAGS);
        allFlags.addAll(flags);
        JavaProcess jvm = JavaProcess.start(name, Harness.appClasspath(), "com.admintk.orchestrator.Application", env, allFlags,
                PROCESS_LOGS);
        processes.add(jvm);
        return jvm;
    }

    static java.nio.file.Path gcLog(JavaProcess jvm) {
        return PROCESS_LOGS.resolve("gc-" + jvm.pid() + ".log");
    }

    JavaProcess startJvm(String name, String classpath, String mainClass, Map<String, String> env) {
        JavaProcess jvm = JavaProcess.start(name, classpath, mainClass, env, FLAGS, PROCESS_LOGS);
        processes.add(jvm);
        return jvm;
    }

    /**
     * The demo accounts, plans and a wallet deep enough for every order of the run, through the app's own seeding
     * code in an api-role context of this JVM (no HTTP server). The context stays open for the Temporal client with
     * the app's payload codec and the database, which the open-work scenario seeds through.
     */
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
        DemoAccounts accounts = new DemoAccounts(users, app.getBean(TotpService.class), PASSWORD, "store-bench-key",
                DemoAccounts.DEFAULT_TOTP_SECRET);
        accounts.seed();
        new DemoPlans(app.getBean(PlanCatalog.class), app.getProvider(PanelRegions.class)).seed();
        new DemoWallet(accounts, users, app.getBean(Wallets.class)).seed();
        demoCustomerId = users.findByEmail(DemoAccounts.DEMO_EMAIL).orElseThrow().id();
        // Enough for every order of the run at 500 coins each.
        app.getBean(Wallets.class).credit("bench-top-up", demoCustomerId, 100_000_000L, "benchmark run");
        plan = app.getBean(PlanCatalog.class).find(PLAN).orElseThrow().snapshot();
    }

    /**
     * Gives back every capacity reservation, as the sagas of the orders would once their servers stand (scenarios
     * without a worker start orders whose room nobody else gives back): each measured phase then starts from none
     * held, as on a stack whose workers keep up.
     */
    void releaseReservations() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(infra.redisUri());
        try (var connection = client.connect()) {
            List<String> keys = connection.sync().keys("admintk:capacity:*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    /** The app's Temporal client: same namespace and payload codec as the api and worker processes. */
    WorkflowClient appTemporal() {
        return app.getBean(WorkflowClient.class);
    }

    Database database() {
        return app.getBean(Database.class);
    }

    /** The app's own server store, for the store's share of a servers page. */
    ServerStore servers() {
        return app.getBean(ServerStore.class);
    }

    @Override
    public void close() {
        for (JavaProcess process : processes) {
            process.close();
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
