package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.localstack.EmbeddedStack;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;

import java.time.Duration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded infrastructure shared by every test in this JVM (Temporal test server, MongoDB, Redis), on free
 * ports so the suite runs beside a local stack that is already up. Started once, stopped when the JVM exits.
 */
public final class TestStack {

    static final String TEST_STRIPE_WEBHOOK_SECRET = "whsec_test_only_0123456789abcdef";

    private static EmbeddedStack stack;
    private static PanelSimulator panel;
    private static PanelSimulator secondRegion;
    private static FakeStripe stripe;

    private TestStack() {
    }

    public static synchronized EmbeddedStack get() {
        if (stack == null) {
            stack = EmbeddedStack.start(EmbeddedStack.Settings.forTests());
            panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofSeconds(2))
                    .statsInterval(Duration.ofMillis(500)).build()).start();
            // Not the published dev secret: api and worker processes refuse to start with it.
            stripe = FakeStripe.start(0, TEST_STRIPE_WEBHOOK_SECRET);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stripe.close();
                panel.close();
                stack.close();
            }, "test-stack-stop"));
        }
        return stack;
    }

    /** The fake Stripe every test app's card payments go to. */
    public static synchronized FakeStripe stripe() {
        get();
        return stripe;
    }

    /** The panel simulator every test app talks to; tests inspect its state and inject faults through it. */
    public static synchronized PanelSimulator panel() {
        get();
        return panel;
    }

    /**
     * The second region's panel (region {@code west}), started on first use: only tests about regions configure it
     * ({@link #secondRegion(String)}), so every other app keeps a single region and its panel-call counts.
     */
    public static synchronized PanelSimulator secondRegionPanel() {
        get();
        if (secondRegion == null) {
            secondRegion = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofSeconds(2))
                    .statsInterval(Duration.ofMillis(500)).build()).start();
            PanelSimulator started = secondRegion;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-stack-second-region-stop"));
        }
        return secondRegion;
    }

    /** App properties adding the second simulator as region {@code west}, with its own bucket under {@code key}. */
    public static Map<String, Object> secondRegion(String key) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("panels.west.url", secondRegionPanel().baseUrl());
        properties.put("panels.west.application-key", "ptla_demo");
        properties.put("panels.west.client-key", "ptlc_demo");
        properties.put("panels.west.locations", List.of(1, 2));
        properties.put("panels.west.rate-limit-key", "admintk:panel:rate:west:" + key);
        return properties;
    }

    /** Configuration pointing an app at the shared stack; each caller gets its own database. */
    public static Map<String, String> appEnvironment(String role, String database) {
        EmbeddedStack s = get();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORCHESTRATOR_ROLE", role);
        env.put("TEMPORAL_ADDRESS", s.temporalTarget());
        env.put("TEMPORAL_TEST_SERVER", "true");
        env.put("MONGODB_URI", s.mongoUri(database));
        env.put("REDIS_URI", s.redisUri());
        env.put("PANEL_URL", panel().baseUrl());
        env.put("PANEL_APPLICATION_KEY", "ptla_demo");
        env.put("STRIPE_API_BASE", stripe().apiBase());
        env.put("STRIPE_WEBHOOK_SECRET", stripe().webhookSecret());
        env.put("PANEL_CLIENT_KEY", "ptlc_demo");
        env.put("STORE_WEBHOOK_SECRET", "test-store-webhook-secret-0123456789abcdef");
        env.put("JWT_SECRET", "test-secret-test-secret-test-secret-0123456789");
        env.put("WORKER_SHUTDOWN_GRACE", "5s");
        env.put("ENCRYPTION_KEYS", "t1:dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=");
        env.put("ENCRYPTION_ACTIVE_KEY", "t1");
        // The panel simulator is shared by every app of the JVM: one app's reconciliation would list (and report as
        // orphans) the others' servers and add panel calls to tests that count them. Its own tests turn it on.
        env.put("RECONCILIATION_ENABLED", "false");
        // Likewise the stats poller: its panel calls would land in tests that count them. Its own tests turn it on
        // (and share a leader key between the replicas they start on purpose).
        env.put("LIVE_STATS_ENABLED", "false");
        env.put("LIVE_STATS_LEADER_KEY", "live:poller:leader:" + database);
        // Each app its own install watch list and watcher: another app's watcher would signal workflows of a
        // Temporal namespace it does not serve.
        env.put("INSTALL_EVENTS_KEY", "install:watch:" + database);
        env.put("INSTALL_EVENTS_LEADER_KEY", "install:watcher:leader:" + database);
        // Each app its own panel budget: one test class's burst must not starve the next one's calls.
        env.put("PANEL_RATE_LIMIT_KEY", "admintk:panel:rate:" + database);
        // each app has its own rate-limit buckets unless a test shares them on purpose
        env.put("RATE_LIMIT_KEY_PREFIX", "ratelimit:" + database + ":");
        return env;
    }
}
