package com.admintk.orchestrator.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Prometheus check's core, asked of a running Prometheus through its HTTP API: which dashboard queries return no
 * data over a time range, and which alert rules of a rule file did not evaluate, did not fire although a planted
 * failure should have made them, or fired although nothing broke. Each method answers the problems it found, one
 * line each; empty means the check holds. {@link PrometheusCheckIT} runs it on the committed dashboard and rules, and
 * again on copies with a renamed metric to show that it notices.
 */
final class DashboardCheck {

    /** One query of a dashboard panel. {@code eventOnly}: why it may rightly show nothing (null: it must show data). */
    record PanelQuery(int panelId, String panel, String refId, String expr, String legend, String unit, String eventOnly) {
        String name() {
            return "panel " + panelId + " '" + panel + "' query " + refId;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prometheus;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DashboardCheck(String prometheusBaseUrl) {
        this.prometheus = prometheusBaseUrl;
    }

    /** Every query of every panel (rows' nested panels included) of a Grafana dashboard JSON. */
    static List<PanelQuery> queries(String dashboardJson) throws IOException {
        List<PanelQuery> queries = new ArrayList<>();
        collect(JSON.readTree(dashboardJson).path("panels"), queries);
        return queries;
    }

    private static void collect(JsonNode panels, List<PanelQuery> into) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                into.add(new PanelQuery(panel.path("id").asInt(), panel.path("title").asText(), target.path("refId").asText(),
                        target.path("expr").asText(), target.path("legendFormat").asText(""),
                        panel.path("fieldConfig").path("defaults").path("unit").asText("short"),
                        target.hasNonNull("eventOnly") ? target.get("eventOnly").asText() : null));
            }
            collect(panel.path("panels"), into);
        }
    }

    /**
     * The query as Grafana would send it: {@code $__rate_interval} and {@code $__interval} become {@code rateWindow},
     * the {@code $instance} variable (All) matches every instance.
     */
    static String concrete(String expr, Duration rateWindow) {
        String window = rateWindow.toSeconds() + "s";
        return expr.replace("$__rate_interval", window).replace("$__interval", window)
                .replace("$instance", ".*").replace("${instance}", ".*");
    }

    /**
     * The queries that returned no sample over {@code [from, to]}. An event-only query without data is not a
     * problem: its reason goes to {@code notes}.
     */
    List<String> queriesWithoutData(Collection<PanelQuery> queries, Instant from, Instant to, Duration step,
                                    Duration rateWindow, List<String> notes) throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        for (PanelQuery query : queries) {
            JsonNode result = range(concrete(query.expr(), rateWindow), from, to, step);
            boolean data = false;
            for (JsonNode series : result) {
                data |= !series.path("values").isEmpty();
            }
            if (data) {
                continue;
            }
            if (query.eventOnly() != null) {
                notes.add(query.name() + " has no data, as expected: " + query.eventOnly());
            } else {
                problems.add(query.name() + " returned no data: " + query.expr());
            }
        }
        return problems;
    }

    /**
     * The rules Prometheus loaded from {@code ruleFile} (the path as its config names it): every one must have
     * evaluated without error, every alert of {@code mustFire} must be firing, none of {@code mustStayQuiet} may be.
     * An alert name may stand for several rules (one per worker group): one of them firing counts.
     */
    List<String> ruleProblems(String ruleFile, Collection<String> mustFire, Collection<String> mustStayQuiet)
            throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        JsonNode groups = get("/api/v1/rules").path("groups");
        Map<String, List<JsonNode>> alerts = new java.util.LinkedHashMap<>();
        int rules = 0;
        for (JsonNode group : groups) {
            if (!ruleFile.equals(group.path("file").asText())) {
                continue;
            }
            for (JsonNode rule : group.path("rules")) {
                rules++;
                String name = rule.path("name").asText();
                if (!"ok".equals(rule.path("health").asText())) {
                    problems.add("rule " + name + " (group " + group.path("name").asText() + ") health "
                            + rule.path("health").asText() + ": " + rule.path("lastError").asText(""));
                }
                if (rule.path("lastEvaluation").asText("").startsWith("0001-")) {
                    problems.add("rule " + name + " was never evaluated");
                }
                if ("alerting".equals(rule.path("type").asText())) {
                    alerts.computeIfAbsent(name, n -> new ArrayList<>()).add(rule);
                }
            }
        }
        if (rules == 0) {
            problems.add("Prometheus loaded no rules from " + ruleFile);
        }
        for (String name : mustFire) {
            List<JsonNode> found = alerts.getOrDefault(name, List.of());
            if (found.isEmpty()) {
                problems.add("alert " + name + " is not a rule of " + ruleFile);
            } else if (found.stream().noneMatch(rule -> "firing".equals(rule.path("state").asText()))) {
                problems.add("alert " + name + " did not fire (state "
                        + found.stream().map(r -> r.path("state").asText()).collect(Collectors.joining(",")) + ")");
            }
        }
        for (String name : mustStayQuiet) {
            for (JsonNode rule : alerts.getOrDefault(name, List.of())) {
                if ("firing".equals(rule.path("state").asText())) {
                    problems.add("alert " + name + " fired although nothing planted it: " + rule.path("alerts"));
                }
            }
        }
        return problems;
    }

    /** Alerts firing right now, by name, from {@code ruleFile}. */
    List<String> firing(String ruleFile) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode group : get("/api/v1/rules").path("groups")) {
            if (ruleFile.equals(group.path("file").asText())) {
                for (JsonNode rule : group.path("rules")) {
                    if ("firing".equals(rule.path("state").asText())) {
                        names.add(rule.path("name").asText());
                    }
                }
            }
        }
        return names;
    }

    /** {@code /api/v1/query_range}: the matrix. */
    JsonNode range(String expr, Instant from, Instant to, Duration step) throws IOException, InterruptedException {
        return get("/api/v1/query_range?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&start=" + from.getEpochSecond() + "&end=" + to.getEpochSecond() + "&step=" + step.toSeconds())
                .path("result");
    }

    /** {@code /api/v1/query}: the instant vector. */
    JsonNode instant(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).path("result");
    }

    /** The panels' data over a range, for the plots: panel, unit, and per query its legend and series. */
    ArrayNode export(Collection<PanelQuery> queries, Instant from, Instant to, Duration step, Duration rateWindow)
            throws IOException, InterruptedException {
        ArrayNode out = JSON.createArrayNode();
        for (PanelQuery query : queries) {
            ObjectNode item = out.addObject();
            item.put("panelId", query.panelId()).put("panel", query.panel()).put("refId", query.refId())
                    .put("expr", query.expr()).put("legend", query.legend()).put("unit", query.unit());
            item.set("result", range(concrete(query.expr(), rateWindow), from, to, step));
        }
        return out;
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(prometheus + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus " + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
        }
        return body.path("data");
    }
}
