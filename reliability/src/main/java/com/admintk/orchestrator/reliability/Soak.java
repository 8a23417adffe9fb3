package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.reliability.Snapshot.AcceptedOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code ./reliability/run.sh [--duration PT5M] [--rates checkout=0.4,card=0.15,…] [--faults 0.15] [--out file]}:
 * the soak-and-chaos run of issue 14. Exit 0 when every invariant held; 1 on a violation; 2 when the run itself was
 * invalid (fewer kills or restarts than asked, too few panel faults, no order completed).
 */
public final class Soak {

    static final Map<String, Double> DEFAULT_RATES = defaultRates();

    private static Map<String, Double> defaultRates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("checkout", 0.35);
        rates.put("card", 0.12);
        rates.put("soldout", 0.05);
        rates.put("topup", 0.05);
        rates.put("cancel", 0.04);
        rates.put("renew", 0.04);
        rates.put("plan", 0.04);
        rates.put("reinstall", 0.03);
        rates.put("power", 0.08);
        rates.put("suspend", 0.04);
        rates.put("watchers", 3.0);
        return rates;
    }

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofMinutes(5);
        Duration settle = Duration.ofMinutes(8);
        Map<String, Double> rates = new LinkedHashMap<>(DEFAULT_RATES);
        double faults = 0.15;
        Path out = Path.of("reliability", "target", "soak.json");
        String appJar = "app/target/orchestrator.jar";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration" -> duration = Duration.parse(args[++i]);
                case "--settle" -> settle = Duration.parse(args[++i]);
                case "--faults" -> faults = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--app-jar" -> appJar = args[++i];
                case "--rates" -> {
                    for (String pair : args[++i].split(",")) {
                        String[] kv = pair.split("=");
                        if (!rates.containsKey(kv[0].trim())) {
                            throw new IllegalArgumentException("unknown rate " + kv[0] + "; known: " + rates.keySet());
                        }
                        rates.put(kv[0].trim(), Double.parseDouble(kv[1]));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--duration PT5M, --settle PT8M, --rates k=v,…, --faults 0.15, --out file, --app-jar path)");
            }
        }
        int exit = new Soak().run(duration, settle, rates, faults, out, appJar);
        System.exit(exit);
    }

    int run(Duration duration, Duration settle, Map<String, Double> rates, double faultRate, Path out, String appJar)
            throws Exception {
        Instant started = Instant.now();
        Path work = Path.of("reliability", "target", "soak-" + started.toEpochMilli());
        System.out.println("soak: " + duration + " of load and chaos, rates " + rates + ", work dir " + work);
        try (SoakStack stack = new SoakStack(work, appJar)) {
            Fleet fleet = new Fleet(stack);
            fleet.start();
            System.out.println("soak: 2 api and 2 worker processes ready");
            Traffic traffic = new Traffic(stack, fleet, rates);
            traffic.login();
            long panelRequestsBefore = panelRequests(stack);
            Map<String, Long> injectedBefore = stack.panel.faults().injected();
            Chaos chaos = new Chaos(stack, fleet, duration, faultRate);
            traffic.start();
            chaos.start();
            Fleet.sleep(duration.toMillis());
            traffic.stopLoad();
            chaos.finish();
            Map<String, Long> injected = minus(stack.panel.faults().injected(), injectedBefore);
            long panelRequests = panelRequests(stack) - panelRequestsBefore;
            System.out.println("soak: load stopped, faults cleared; settling (at most " + settle + ")");

            long settleStart = System.nanoTime();
            List<AcceptedOrder> accepted = new ArrayList<>(traffic.accepted);
            boolean settled = settle(stack, fleet, accepted, traffic.topUps, settle);
            Duration settled_in = Duration.ofNanos(System.nanoTime() - settleStart);
            // Placed reservations linger a few seconds after their saga released them.
            Fleet.sleep(10_000);

            InvariantChecker checker = new InvariantChecker(5);
            SnapshotReader reader = new SnapshotReader(stack.database().mongo(), stack.panel.baseUrl(), "ptla_demo",
                    stack.stripe::paymentIntents, stack.stripe::refunds, stack.temporal(), "default",
                    stack.redis().sync());
            Set<String> extraWorkflows = new LinkedHashSet<>();
            traffic.topUps.forEach(id -> extraWorkflows.add("topup:" + id));
            Snapshot first = reader.read(accepted, extraWorkflows);
            List<Violation> firstViolations = checker.check(first);
            List<Violation> violations = firstViolations;
            Snapshot snapshot = first;
            if (!firstViolations.isEmpty()) {
                // A violation must still be there a little later: a renewal between two reads is not a broken promise.
                Fleet.sleep(15_000);
                snapshot = reader.read(accepted, extraWorkflows);
                List<Violation> again = checker.check(snapshot);
                violations = again.stream().filter(v -> firstViolations.stream()
                        .anyMatch(f -> f.kind().equals(v.kind()) && f.subject().equals(v.subject()))).toList();
            }
            List<Violation> all = new ArrayList<>(violations);
            traffic.divergentDuplicates.forEach(d -> all.add(new Violation("DUPLICATE_DIVERGED", "idempotency", d)));

            Map<String, Long> ordersByState = new TreeMap<>();
            snapshot.orders().values().forEach(o -> ordersByState.merge(o.status(), 1L, Long::sum));
            Map<String, Long> serversByState = new TreeMap<>();
            snapshot.servers().values().forEach(s -> serversByState.merge(s.status(), 1L, Long::sum));
            long requestFaults = injected.entrySet().stream()
                    .filter(e -> !e.getKey().equals("slow_create") && !e.getKey().equals("install_failure"))
                    .mapToLong(Map.Entry::getValue).sum();
            double faultShare = panelRequests == 0 ? 0 : (double) requestFaults / panelRequests;

            List<String> invalid = new ArrayList<>();
            Map<String, Long> chaosDone = chaos.done();
            Chaos.plan(duration).forEach((kind, asked) -> {
                if (chaosDone.getOrDefault(kind, 0L) < asked) {
                    invalid.add(kind + ": " + chaosDone.getOrDefault(kind, 0L) + " of " + asked + " done");
                }
            });
            if (faultShare < 0.10) {
                invalid.add(String.format("panel faults on %.1f%% of panel requests, at least 10%% asked", faultShare * 100));
            }
            if (ordersByState.getOrDefault("ACTIVE", 0L) == 0) {
                invalid.add("no order reached ACTIVE");
            }
            if (!settled) {
                invalid.add("the system did not settle within " + settle + " (see the violations for what was in flight)");
            }

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("startedAt", started.toString());
            report.put("duration", duration.toString());
            report.put("settledIn", settled_in.toSeconds() + "s");
            report.put("rates", rates);
            report.put("panelFaultRate", faultRate);
            report.put("requests", traffic.counts());
            report.put("acceptedOrders", accepted.size());
            report.put("topUps", traffic.topUps.size());
            report.put("ordersByState", ordersByState);
            report.put("serversByState", serversByState);
            report.put("panelRequests", panelRequests);
            report.put("faultsInjected", injected);
            report.put("panelFaultShare", Math.round(faultShare * 1000) / 1000.0);
            report.put("chaos", chaosDone);
            report.put("chaosLog", List.copyOf(chaos.log));
            report.put("workflowsDescribed", snapshot.workflows().size());
            report.put("invalid", invalid);
            report.put("violations", all.stream().map(v -> Map.of("kind", v.kind(), "subject", v.subject(),
                    "detail", v.detail())).toList());
            printTable(report, all, invalid);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n");
            System.out.println("soak: results in " + out);
            traffic.close();
            if (!all.isEmpty()) {
                return 1;
            }
            return invalid.isEmpty() ? 0 : 2;
        }
    }

    /** Until every accepted order and top-up is recorded and ended and every process is ready; false at the bound. */
    private static boolean settle(SoakStack stack, Fleet fleet, List<AcceptedOrder> accepted, Set<String> topUps,
                                  Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                MongoDatabase mongo = stack.database().mongo();
                long openOrders = mongo.getCollection("orders")
                        .countDocuments(Filters.nin("status", InvariantChecker.TERMINAL));
                Set<String> recorded = new LinkedHashSet<>();
                mongo.getCollection("orders").find().projection(new org.bson.Document("_id", 1))
                        .forEach(d -> recorded.add(d.getString("_id")));
                long missing = accepted.stream().filter(a -> !recorded.contains(a.orderId())).count();
                long openTopUps = mongo.getCollection("wallet_top_ups")
                        .countDocuments(Filters.nin("status", List.of("CREDITED", "FAILED")));
                boolean ready = fleet.allReady();
                System.out.printf("soak: settling: %d orders in flight, %d accepted not recorded, %d top-ups open, fleet %s%n",
                        openOrders, missing, openTopUps, ready ? "ready" : "not ready");
                if (openOrders == 0 && missing == 0 && openTopUps == 0 && ready) {
                    return true;
                }
            } catch (RuntimeException e) {
                System.out.println("soak: settling: " + e);
            }
            Fleet.sleep(5_000);
        }
        return false;
    }

    private static long panelRequests(SoakStack stack) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(stack.panel.baseUrl() + "/_sim/requests")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(response.body());
            return body.path("total").asLong();
        } catch (Exception e) {
            throw new IllegalStateException("panel request log: " + e, e);
        }
    }

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> diff = new TreeMap<>();
        after.forEach((k, v) -> diff.put(k, v - before.getOrDefault(k, 0L)));
        return diff;
    }

    private static void printTable(Map<String, Object> report, List<Violation> violations, List<String> invalid) {
        @SuppressWarnings("unchecked")
        Map<String, Long> requests = (Map<String, Long>) report.get("requests");
        StringBuilder t = new StringBuilder("\n=== soak results ===\n");
        row(t, "duration", report.get("duration") + " (settled in " + report.get("settledIn") + ")");
        row(t, "requests sent", requests.getOrDefault("requests", 0L));
        row(t, "2xx / 4xx / 5xx / no answer", requests.getOrDefault("status_2xx", 0L) + " / "
                + requests.getOrDefault("status_4xx", 0L) + " / " + requests.getOrDefault("status_5xx", 0L) + " / "
                + requests.getOrDefault("status_no_answer", 0L));
        row(t, "checkouts accepted (202)", report.get("acceptedOrders"));
        row(t, "sold-out answers", requests.getOrDefault("sold_out", 0L));
        row(t, "top-ups accepted", report.get("topUps"));
        row(t, "webhooks 2xx / other", requests.getOrDefault("webhook_2xx", 0L) + " / "
                + (requests.getOrDefault("webhook_4xx", 0L) + requests.getOrDefault("webhook_5xx", 0L)
                + requests.getOrDefault("webhook_no_answer", 0L)));
        row(t, "websocket connects / messages", requests.getOrDefault("ws_connected", 0L) + " / "
                + requests.getOrDefault("ws_message", 0L));
        row(t, "orders by state", report.get("ordersByState"));
        row(t, "servers by state", report.get("serversByState"));
        row(t, "panel requests", report.get("panelRequests"));
        row(t, "faults injected", report.get("faultsInjected"));
        row(t, "panel fault share", report.get("panelFaultShare"));
        row(t, "chaos (kills, restarts, outages)", report.get("chaos"));
        row(t, "workflows described", report.get("workflowsDescribed"));
        row(t, "violations", violations.size());
        violations.stream().limit(50).forEach(v -> t.append("    ").append(v).append('\n'));
        row(t, "run invalid", invalid.isEmpty() ? "no" : String.join("; ", invalid));
        System.out.println(t);
    }

    private static void row(StringBuilder t, String name, Object value) {
        t.append(String.format("%-34s %s%n", name, value));
    }
}
