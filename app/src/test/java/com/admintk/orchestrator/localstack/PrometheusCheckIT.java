package com.admintk.orchestrator.localstack;

import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.localstack.stripe.StripeSignatures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 13, acceptance 2: the Grafana dashboard and the alert rules, proven on Debian's real {@code prometheus}
 * scraping the packaged local stack during an end-to-end run: healthy checkouts, one planted saga failure (failed
 * installs, compensated by deleting the server and refunding), one panel outage window (every panel call answers
 * 502, some 429). Then, through Prometheus's HTTP API:
 * <ul>
 *   <li>every query of every dashboard panel returns data over the run (queries the generator marks event-only are
 *       printed with their reason instead);</li>
 *   <li>every rule of {@code deployment/prometheus/rules} evaluates (health ok);</li>
 *   <li>the alerts matching the planted failures fire, and the ones about lost workers or failed undos do not;</li>
 *   <li>the same check, given a dashboard and rules with a metric renamed, reports exactly what the rename broke.</li>
 * </ul>
 * What is not the production setting, and why:
 * <ul>
 *   <li>The rules are the repository's file with every {@code for:} cut to 0s: the expressions and thresholds are
 *       unchanged, but an alert fires as soon as its expression holds (the real holds are 2 to 15 minutes).</li>
 *   <li>Role dev is the api and every worker group in one JVM, so Prometheus scrapes it three times, keeping each
 *       series once, as separate processes would expose it: as an api instance (HTTP and JVM series), as a core
 *       worker (everything else) and as a pterodactyl worker (only {@code up}).</li>
 *   <li>Scrapes every 2 s, rule evaluation every 1 s, panel {@code $__rate_interval} = 30 s; server usage polled
 *       every 2 s; the panel budget (orchestrator and simulator) 600/min and the API's per-client limits 1000/min,
 *       so the run's bursts fit in two minutes.</li>
 * </ul>
 * The panels' data of the run go to {@code target/prometheus-check/dashboard-data.json}; {@code
 * deployment/grafana/render-panels.py} draws the README's plots from it.
 */
class PrometheusCheckIT {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RULES = ROOT.resolve("deployment/prometheus/rules/orchestrator.rules.yml");
    private static final Path DASHBOARD = ROOT.resolve("deployment/grafana/dashboards/orchestrator.json");
    private static final Duration RATE_WINDOW = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofSeconds(2);
    private static final String PLAN = "paper-2g";
    private static final int PLAN_MEMORY_MIB = 2048;

    /** What the planted failures must set off. */
    private static final List<String> MUST_FIRE = List.of(
            "SagaCompensationsSpike", "OrderSagasFailing",   // failed installs, compensated
            "PanelServerErrors",                             // the panel outage window
            "PaymentWebhooksRejected",                       // forged webhook deliveries
            "ServerMemoryOverLimit");                        // a server given more memory on the panel than its plan
    /** Nothing in the run lost a worker, the api or an undo: these firing would be false alarms. */
    private static final List<String> MUST_STAY_QUIET = List.of(
            "WorkerDown", "WorkerGroupAbsent", "TaskQueueWithoutPollers", "ApiDown", "OrderCompensationFailed",
            "TemporalWorkflowsFailing");
    /** The metrics the planted copies rename, and what that must break. */
    private static final String RENAMED_DASHBOARD_METRIC = "orders_completed_total";
    private static final String RENAMED_RULE_METRIC = "saga_compensations_total";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void dashboardQueriesShowDataAndPlantedFailuresFireTheirAlerts(@TempDir Path work) throws Exception {
        Path rules = work.resolve("orchestrator.rules.yml");
        Files.writeString(rules, withoutHolds(Files.readString(RULES)));
        // The check must notice a renamed metric: a copy of the rules where one is renamed, loaded beside the real ones.
        Path plantedRules = work.resolve("planted-rename.rules.yml");
        // Its series must not collide with the real rules' (two groups writing one ALERTS series or one recorded
        // series fail with "out of order sample"): each planted alert carries a label of its own, and the
        // recording rules record under other names.
        Files.writeString(plantedRules, Files.readString(rules)
                .replace(RENAMED_RULE_METRIC, RENAMED_RULE_METRIC.replace("s_total", "_total"))
                .replace("        labels:\n", "        labels:\n          planted: \"rename\"\n")
                .replace("record: orchestrator:", "record: planted_orchestrator:"));

        PackagedLocalStack stack = PackagedLocalStack.start(work.resolve("data"), "prometheus-check",
                Map.of("LIVE_STATS_INTERVAL", "2s", "LIVE_STATS_LEADER_LEASE", "5s",
                        // Room for a run compressed into two minutes: a burst of compensations retrying their panel
                        // calls must not wait minutes for permits, nor checks be refused by the API's own limit.
                        "PANEL_RATE_LIMIT_PER_MINUTE", "600", "PANEL_RATE_LIMIT_BURST", "30",
                        "RATE_LIMIT_PER_IP", "1000", "RATE_LIMIT_PER_USER", "1000"));
        try (PrometheusProcess prometheus = PrometheusProcess.start(work, config(stack.ports().get("PORT"), rules, plantedRules))) {
            Instant from = Instant.now();
            DashboardCheck check = new DashboardCheck(prometheus.baseUrl());
            awaitTargetsUp(check);

            Map<String, List<Long>> phases = drive(stack);

            List<String> problems = awaitAlerts(check, rules.toString());
            Instant to = Instant.now();
            List<DashboardCheck.PanelQuery> queries = DashboardCheck.queries(Files.readString(DASHBOARD));
            List<String> notes = new ArrayList<>();
            problems.addAll(check.queriesWithoutData(queries, from, to, STEP, RATE_WINDOW, notes));

            Path out = Files.createDirectories(Path.of("target", "prometheus-check"));
            JSON.writeValue(out.resolve("dashboard-data.json").toFile(), Map.of(
                    "from", from.toString(), "to", to.toString(), "step", STEP.toSeconds(),
                    "firing", check.firing(rules.toString()), "phases", phases,
                    "panels", check.export(queries, from, to, STEP, RATE_WINDOW)));
            System.out.printf("Prometheus check: %d dashboard queries over %ds, firing: %s%n", queries.size(),
                    Duration.between(from, to).toSeconds(), check.firing(rules.toString()));
            notes.forEach(note -> System.out.println("  note: " + note));
            assertEquals(List.of(), problems, "the dashboard and alerts on a real Prometheus");

            // Planted: the same check, with one metric renamed, must point at exactly what the rename broke.
            String renamedDashboard = Files.readString(DASHBOARD)
                    .replace(RENAMED_DASHBOARD_METRIC, RENAMED_DASHBOARD_METRIC.replace("completed", "finished"));
            List<String> broken = check.queriesWithoutData(DashboardCheck.queries(renamedDashboard), from, to, STEP,
                    RATE_WINDOW, new ArrayList<>());
            List<String> usingIt = queries.stream().filter(q -> q.expr().contains(RENAMED_DASHBOARD_METRIC))
                    .map(q -> q.name() + " returned no data: "
                            + q.expr().replace(RENAMED_DASHBOARD_METRIC, RENAMED_DASHBOARD_METRIC.replace("completed", "finished")))
                    .toList();
            assertTrue(usingIt.size() >= 3, "the dashboard shows " + RENAMED_DASHBOARD_METRIC + ": " + usingIt);
            assertEquals(usingIt, broken, "a renamed metric in the dashboard is reported, panel by panel");
            List<String> plantedProblems = check.ruleProblems(plantedRules.toString(), MUST_FIRE, MUST_STAY_QUIET);
            assertEquals(List.of("alert SagaCompensationsSpike did not fire (state inactive)"), plantedProblems,
                    "a renamed metric in the rules silences its alert, and the check says so");
        } finally {
            assertTrue(stack.stop(Duration.ofSeconds(90)), "the local stack stops on SIGTERM");
        }
    }

    // ---- the run ------------------------------------------------------------------------------------------------

    /** Drives the run; answers when each planted failure began and ended (epoch seconds), for the plots. */
    private Map<String, List<Long>> drive(PackagedLocalStack stack) throws Exception {
        String api = stack.apiBase();
        String panel = stack.panelBase();
        call("PUT", panel + "/_sim/config", null, "{\"rate_limit_application\":600}");
        String token = login(api, "demo@admin-tk.local", "demo-password");
        call("GET", api + "/api/v1/plans", token, null);
        call("GET", api + "/api/v1/wallet", token, null);
        // Client errors: a checkout without a plan (400) and an unknown order (404).
        call("POST", api + "/api/v1/orders", token, "{}");
        call("GET", api + "/api/v1/orders/ord_000000000000000000000000", token, null);

        // Healthy checkouts.
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            healthy.add(checkout(api, token));
        }
        for (String order : healthy) {
            assertEquals("ACTIVE", awaitTerminal(api, token, order), order);
        }

        // A customer starts a server; an operator gives it 4x its plan's memory on the panel.
        String serverId = "srv-" + healthy.get(0);
        assertEquals(204, call("POST", api + "/api/v1/servers/" + serverId + "/power", token, "{\"signal\":\"start\"}").statusCode());
        int panelId = JSON.readTree(call("GET", panel + "/_sim/servers", null, null).body()).path("data").findParents("external_id")
                .stream().filter(s -> s.path("external_id").asText().equals("order:" + healthy.get(0)))
                .findFirst().orElseThrow().path("id").asInt();
        call("PATCH", panel + "/_sim/servers/" + panelId, null, "{\"limits\":{\"memory\":" + 4 * PLAN_MEMORY_MIB + "}}");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, call("GET", api + "/api/v1/servers/" + serverId + "/resources", token, null).statusCode());
        }

        // Payment webhooks: one the provider signed, then forged ones. The rejected counter is created at the
        // first rejection, so that one is scraped before the rest: increase() only counts what follows a sample.
        String event = "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"type\":\"customer.created\",\"data\":{\"object\":{}}}";
        webhook(api, event, StripeSignatures.signNow(FakeStripe.DEFAULT_WEBHOOK_SECRET, event));
        webhook(api, event, "t=1,v1=forged");
        Thread.sleep(5_000);
        for (int i = 0; i < 8; i++) {
            webhook(api, event, "t=1,v1=forged-" + i);
        }

        // The planted saga failure: installs fail on the panel; each order is compensated (server deleted, coins
        // refunded). One first, scraped, then six: the compensation counters are created at the first one.
        long failureFrom = Instant.now().getEpochSecond();
        call("POST", panel + "/_sim/faults", null, "{\"install_failures\":{\"next\":1}}");
        assertEquals("REFUNDED", awaitTerminal(api, token, checkout(api, token)));
        Thread.sleep(5_000);
        call("POST", panel + "/_sim/faults", null, "{\"install_failures\":{\"next\":6}}");
        List<String> failing = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            failing.add(checkout(api, token));
        }
        for (String order : failing) {
            assertEquals("REFUNDED", awaitTerminal(api, token, order), order);
        }
        call("DELETE", panel + "/_sim/faults", null, null);
        long failureTo = Instant.now().getEpochSecond();

        // The panel outage window: for 30 s every panel call fails, 502 mostly, some 429 (an overloaded panel). Checkouts wait in
        // their retries; the customer's live view of a server fails with 502.
        long outageFrom = Instant.now().getEpochSecond();
        call("POST", panel + "/_sim/faults", null,
                "{\"retry_after_seconds\":1,\"probabilities\":{\"502\":0.85,\"429\":0.15},\"after_processing_ratio\":0}");
        List<String> duringOutage = List.of(checkout(api, token), checkout(api, token));
        long outageEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < outageEnd) {
            call("GET", api + "/api/v1/servers/" + serverId + "/resources", token, null);
            Thread.sleep(1_000);
        }
        call("DELETE", panel + "/_sim/faults", null, null);
        long outageTo = Instant.now().getEpochSecond();
        for (String order : duringOutage) {
            System.out.println("order placed during the panel outage ended " + awaitTerminal(api, token, order));
        }
        return Map.of("planted saga failure", List.of(failureFrom, failureTo), "panel outage", List.of(outageFrom, outageTo));
    }

    private List<String> awaitAlerts(DashboardCheck check, String ruleFile) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> problems;
        do {
            problems = check.ruleProblems(ruleFile, MUST_FIRE, MUST_STAY_QUIET);
            if (problems.isEmpty()) {
                break;
            }
            Thread.sleep(1_000);
        } while (System.nanoTime() < deadline);
        return new ArrayList<>(problems);
    }

    private void awaitTargetsUp(DashboardCheck check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode up = check.instant("up == 1");
            if (up.size() == 3) {
                return;
            }
            Thread.sleep(500);
        }
        fail("Prometheus does not scrape the stack: " + check.instant("up"));
    }

    // ---- Prometheus's config and rules --------------------------------------------------------------------------

    /** The repository's rules with every {@code for:} hold cut to 0s. */
    static String withoutHolds(String rules) {
        Matcher holds = Pattern.compile("(?m)^(\\s+for:\\s*)\\S+\\s*$").matcher(rules);
        String cut = holds.replaceAll(hold -> hold.group(1) + "0s");
        assertTrue(cut.contains("for: 0s") && !Pattern.compile("(?m)^\\s+for:\\s*[1-9]").matcher(cut).find(), cut);
        return cut;
    }

    private static String config(int appPort, Path rules, Path plantedRules) {
        String target = "localhost:" + appPort;
        return """
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                  evaluation_interval: 1s
                rule_files:
                  - %2$s
                  - %3$s
                scrape_configs:
                  - job_name: api
                    metrics_path: /prometheus
                    static_configs:
                      - targets: ["%1$s"]
                        labels: {instance: "dev:api"}
                    metric_relabel_configs:
                      - source_labels: [__name__]
                        regex: "(http_server_|jvm_|process_).*"
                        action: keep
                  - job_name: worker
                    metrics_path: /prometheus
                    static_configs:
                      - targets: ["%1$s"]
                        labels: {instance: "dev:worker-core", queue_group: core}
                      - targets: ["%1$s"]
                        labels: {instance: "dev:worker-pterodactyl", queue_group: pterodactyl}
                    metric_relabel_configs:
                      - source_labels: [queue_group]
                        regex: pterodactyl
                        action: drop
                      - source_labels: [__name__]
                        regex: "(http_server_|jvm_|process_).*"
                        action: drop
                """.formatted(target, rules, plantedRules);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private String login(String api, String email, String password) throws Exception {
        HttpResponse<String> login = call("POST", api + "/api/v1/auth/login", null,
                JSON.writeValueAsString(Map.of("email", email, "password", password)));
        assertEquals(200, login.statusCode(), login.body());
        return JSON.readTree(login.body()).path("accessToken").asText();
    }

    private String checkout(String api, String token) throws Exception {
        // The default region's panel, where the faults are planted (the local stack's second region, west, would
        // otherwise take the orders once it has more room).
        String body = JSON.writeValueAsString(Map.of("planId", PLAN, "serverName", "Check " + UUID.randomUUID().toString().substring(0, 8),
                "paymentMethod", "tkcoins", "eggVariables", Map.of("MINECRAFT_VERSION", "1.21"), "region", "default"));
        HttpResponse<String> accepted = http.send(request("POST", api + "/api/v1/orders", token, body)
                .header("Idempotency-Key", "prometheus-check-" + UUID.randomUUID()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return JSON.readTree(accepted.body()).path("orderId").asText();
    }

    private String awaitTerminal(String api, String token, String orderId) throws Exception {
        Set<String> terminal = new LinkedHashSet<>(List.of("ACTIVE", "FAILED", "REFUNDED", "CANCELLED", "COMPENSATION_FAILED"));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String status = null;
        while (System.nanoTime() < deadline) {
            status = JSON.readTree(call("GET", api + "/api/v1/orders/" + orderId, token, null).body()).path("status").asText();
            if (terminal.contains(status)) {
                return status;
            }
            Thread.sleep(1_000);
        }
        return fail("order " + orderId + " still " + status);
    }

    private void webhook(String api, String payload, String signature) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/payments/webhooks/stripe"))
                .header("Content-Type", "application/json").header(StripeSignatures.HEADER, signature)
                .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private HttpResponse<String> call(String method, String url, String token, String body) throws IOException, InterruptedException {
        return http.send(request(method, url, token, body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String method, String url, String token, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }
}
