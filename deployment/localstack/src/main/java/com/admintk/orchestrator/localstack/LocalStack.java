package com.admintk.orchestrator.localstack;

import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;

/**
 * The README's run command: starts the embedded infrastructure and the panel simulator, then the application jar
 * in role {@code dev} as a child process, waits until it is ready and prints URLs and credentials. Ctrl-C stops
 * the app first (gracefully), then the infrastructure, MongoDB last so its H2 file is committed.
 */
public final class LocalStack {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private LocalStack() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int apiPort = port(env, "PORT", 8080);
        int panelPort = port(env, "PANEL_PORT", 8081);
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", "data"));
        Path appJar = Path.of(env.getOrDefault("APP_JAR", "app/target/orchestrator.jar"));
        if (!Files.isRegularFile(appJar)) {
            System.err.println("Application jar not found at " + appJar.toAbsolutePath()
                    + " (build it with ./mvnw -B package -DskipTests, or set APP_JAR)");
            System.exit(2);
        }

        EmbeddedStack stack = EmbeddedStack.start(new EmbeddedStack.Settings(
                port(env, "TEMPORAL_PORT", 7233),
                port(env, "MONGO_PORT", 27017), dataDir.resolve("mongo.mv"),
                port(env, "REDIS_PORT", 6379), dataDir.resolve("redis")));
        List<AutoCloseable> extras = new ArrayList<>();
        String panelUrl = LocalPanel.start(panelPort, extras);
        // The second region (west): its own simulator, so its own nodes, servers and request log.
        String westUrl = LocalPanel.start(port(env, "PANEL_WEST_PORT", 8083), extras);
        FakeStripe stripe = FakeStripe.start(port(env, "STRIPE_PORT", 8082), FakeStripe.DEFAULT_WEBHOOK_SECRET);
        extras.add(stripe);
        int smtpPort = port(env, "SMTP_PORT", 2525);
        extras.add(LocalMail.start(smtpPort));

        Process app = startApp(appJar, env, apiPort, stack, panelUrl, westUrl, stripe);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            shutdown(app, stack, extras, dataDir);
        }, "local-stack-stop"));

        String base = "http://localhost:" + apiPort;
        if (awaitReady(app, base, Duration.ofMinutes(3))) {
            printBanner(base, panelUrl, westUrl, stripe.apiBase(), stack, dataDir, env);
        } else {
            LOG.error("The application did not become ready; see its output above");
        }
        int exit = app.waitFor();
        if (!stopping.get()) {
            LOG.error("The application exited with code {}; stopping the stack", exit);
            System.exit(exit == 0 ? 1 : exit);
        }
    }

    private static Process startApp(Path jar, Map<String, String> env, int apiPort, EmbeddedStack stack,
                                    String panelUrl, String westUrl, FakeStripe stripe) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The second region as system properties: panels.<region>.* has no fixed environment variable.
        ProcessBuilder builder = new ProcessBuilder(java, "-Dpanels.west.url=" + westUrl,
                "-Dpanels.west.application-key=" + PanelSimulatorConfig.DEFAULT_APPLICATION_KEY,
                "-Dpanels.west.client-key=" + PanelSimulatorConfig.DEFAULT_CLIENT_KEY,
                "-Dpanels.west.locations=1,2", "-jar", jar.toString()).inheritIO();
        Map<String, String> appEnv = builder.environment();
        appEnv.put("MICRONAUT_ENVIRONMENTS", "dev");
        appEnv.putIfAbsent("ORCHESTRATOR_ROLE", "dev");
        appEnv.put("PORT", Integer.toString(apiPort));
        appEnv.put("TEMPORAL_ADDRESS", stack.temporalTarget());
        appEnv.put("TEMPORAL_TEST_SERVER", "true");
        appEnv.put("MONGODB_URI", stack.mongoUri("admintk"));
        appEnv.put("REDIS_URI", stack.redisUri());
        appEnv.putIfAbsent("PANEL_URL", panelUrl);
        appEnv.putIfAbsent("STRIPE_API_BASE", stripe.apiBase());
        appEnv.putIfAbsent("STRIPE_WEBHOOK_SECRET", stripe.webhookSecret());
        appEnv.put("SMTP_HOST", "127.0.0.1");
        LOG.info("Starting the application (role dev) from {}", jar);
        return builder.start();
    }

    private static boolean awaitReady(Process app, String base, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && app.isAlive()) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        return false;
    }

    private static void shutdown(Process app, EmbeddedStack stack, List<AutoCloseable> extras, Path dataDir) {
        if (app.isAlive()) {
            app.destroy();
            try {
                if (!app.waitFor(45, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable extra : extras) {
            try {
                extra.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed", extra, e);
            }
        }
        stack.close();
        System.out.println("Local stack stopped; data kept under " + dataDir.toAbsolutePath());
    }

    private static void printBanner(String base, String panelUrl, String westUrl, String stripeBase,
                                    EmbeddedStack stack, Path dataDir, Map<String, String> env) {
        String password = env.getOrDefault("DEMO_PASSWORD", "demo-password");
        System.out.println("""

                ================ Admin-TK Orchestrator: local stack is up ================
                  API            %1$s/api/v1
                  Health         %1$s/health/readiness
                  Metrics        %1$s/prometheus
                  OpenAPI        %1$s/swagger/admintk-orchestrator.yml
                  Swagger UI     %1$s/swagger-ui/
                  Panel (sim)    %2$s  (application key ptla_demo, client key ptlc_demo; %2$s/_sim/servers)
                                 region "default"; region "west" is a second simulator at %12$s (same keys)
                  Stripe (fake)  %9$s  (webhook secret whsec_admintk_local)
                  Temporal       %3$s  namespace default (Java test server, in memory)
                  MongoDB        %4$s  (H2 file %5$s)
                  Redis          %6$s
                  SMTP           localhost:%10$s  (GreenMail: customer emails are logged here)
                  Accounts       admin@admin-tk.local (SUPER_ADMIN), demo@admin-tk.local (CLIENT)
                                 password: %7$s
                                 admin's TOTP secret: %11$s (base32; add it to an authenticator app,
                                 or e.g. `oathtool --totp -b %11$s`, for POST /api/v1/auth/login/totp)
                  Store API key  %8$s
                Press Ctrl-C to stop.
                ===========================================================================
                """.formatted(base, panelUrl, stack.temporalTarget(), stack.mongoUri("admintk"),
                dataDir.resolve("mongo.mv"), stack.redisUri(), password,
                env.getOrDefault("STORE_API_KEY", "store-demo-key"), stripeBase, env.getOrDefault("SMTP_PORT", "2525"),
                env.getOrDefault("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXP"), westUrl));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            System.err.println("Invalid configuration: " + name + " is not a port number: " + value);
            System.exit(78);
            return fallback;
        }
    }
}
