package com.admintk.orchestrator.tracing;

import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.testing.AppProcess;
import com.admintk.orchestrator.testing.DemoData;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.json.JsonMapper;
import io.opentelemetry.proto.trace.v1.Span;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: the api and the workers as separate JVMs, as in production, exporting spans by OTLP to a receiver in
 * this JVM and writing production (JSON) logs. One TK-Coins checkout with a secret game setting and one card checkout
 * paid by webhook run to ACTIVE; then the checkout's trace is followed from the HTTP request to each panel call, and
 * every log line both processes wrote is searched for secrets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String PANEL_TRACER = "com.admintk.orchestrator.pterodactyl";
    private static final String RCON = "rcon-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);

    private static OtlpReceiver otlp;
    private static HttpServer store;
    private static final AtomicInteger storeEvents = new AtomicInteger();
    private static GreenMail mail;
    private static Map<String, String> env;
    private static AppProcess api;
    private static AppProcess worker;
    private static WorkflowServiceStubs stubs;
    private static WorkflowClient temporal;
    private static JsonMapper json;

    private static String customerToken;
    private static String refreshToken;
    private static String customerId;
    private static String tkcoinsOrder;
    private static String cardOrder;
    private static String clientSecret;

    @BeforeAll
    static void runTwoCheckoutsThroughSeparateApiAndWorkerProcesses() throws Exception {
        otlp = OtlpReceiver.start();
        store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        store.createContext("/store-events", exchange -> {
            exchange.getRequestBody().readAllBytes();
            storeEvents.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        store.start();
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();

        env = TestStack.appEnvironment("api", "obs" + UUID.randomUUID().toString().substring(0, 8).replace("-", ""));
        env.put("BCRYPT_COST", "4");
        env.put("RATE_LIMIT_ENABLED", "false");
        env.put("INSTALL_POLL_INITIAL", "1s");
        env.put("INSTALL_POLL_MAX", "2s");
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(mail.getSmtp().getPort()));
        env.put("STORE_WEBHOOK_URL", "http://127.0.0.1:" + store.getAddress().getPort() + "/store-events");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint());
        env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        // Production's log format (logback-json.xml, as the Docker image runs it): every MDC field is written.
        env.put("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=logback-json.xml");
        try (TestApp seeder = TestApp.start("api", Map.of("mongodb.uri", env.get("MONGODB_URI")))) {
            DemoData.seed(seeder.context());
            json = seeder.bean(JsonMapper.class);
        }
        api = AppProcess.start("obs-api", env);
        Map<String, String> workerEnv = new LinkedHashMap<>(env);
        workerEnv.put("ORCHESTRATOR_ROLE", "worker");
        worker = AppProcess.start("obs-worker", workerEnv);
        api.awaitReady(Duration.ofSeconds(120));
        worker.awaitReady(Duration.ofSeconds(120));
        stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(TestStack.get().temporalTarget()).build());
        temporal = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());

        Map<String, Object> login = call("POST", "/api/v1/auth/login", null,
                Map.of("email", "demo@admin-tk.local", "password", DemoData.PASSWORD), 200);
        customerToken = (String) login.get("accessToken");
        refreshToken = (String) login.get("refreshToken");
        customerId = (String) call("GET", "/api/v1/auth/me", customerToken, null, 200).get("id");

        tkcoinsOrder = checkout("rust-standard", "tkcoins", Map.of("RCON_PASS", RCON, "HOSTNAME", "Traced host"));
        cardOrder = checkout("paper-2g", "card", null);
        Map<String, Object> payment = awaitOrder(cardOrder, view -> view.get("payment") instanceof Map<?, ?> p
                && "AWAITING_CUSTOMER".equals(p.get("status")));
        Map<?, ?> card = (Map<?, ?>) payment.get("payment");
        clientSecret = (String) card.get("clientSecret");
        var event = TestStack.stripe().succeed((String) card.get("providerPaymentId"));
        HttpResponse<String> ack = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/payments/webhooks/stripe"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", event.signatureHeader())
                .POST(HttpRequest.BodyPublishers.ofString(event.payload())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ack.statusCode(), ack.body());
        for (String order : List.of(tkcoinsOrder, cardOrder)) {
            Map<String, Object> done = awaitOrder(order, view -> List.of("ACTIVE", "FAILED", "REFUNDED", "CANCELLED",
                    "FAILED_REFUNDED", "COMPENSATION_FAILED").contains(view.get("status")));
            assertEquals("ACTIVE", done.get("status"), () -> String.valueOf(done));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        if (otlp != null) {
            // For post-mortems, beside the processes' logs.
            java.nio.file.Files.write(java.nio.file.Path.of("target", "processes", "obs-spans.txt"),
                    otlp.spans().stream().map(String::valueOf).toList());
        }
        for (AutoCloseable closeable : new AutoCloseable[] {api, worker, otlp}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (store != null) {
            store.stop(0);
        }
        if (stubs != null) {
            stubs.shutdownNow();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    @Order(1)
    void oneCheckoutIsOneTraceFromTheHttpRequestThroughEverySagaStepToEachPanelCall() {
        Family family = family("order:" + tkcoinsOrder);
        assertTrue(family.activities.size() >= 5, "the saga ran its steps: " + family.activities);
        assertFalse(panelCalls(family).isEmpty(), "the saga called the panel");

        // Spans arrive in batches from both processes: wait until every expected one is in.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> missing;
        OtlpReceiver.Received server;
        List<OtlpReceiver.Received> trace;
        do {
            server = checkoutSpan(tkcoinsOrder);
            trace = server == null ? List.of() : inTrace(server.traceId());
            missing = missing(family, trace, panelCalls(family).size());
            if (missing.isEmpty()) {
                break;
            }
            sleep(500);
        } while (System.nanoTime() < deadline);
        assertNotNull(server, "no server span for the checkout among " + names(otlp.spans()));
        assertTrue(missing.isEmpty(), "missing from the checkout's trace: " + missing + "\ntrace: " + names(trace));

        // One tree, not only one trace id: every saga span leads up to the HTTP request that started it.
        Map<String, OtlpReceiver.Received> byId = trace.stream()
                .collect(Collectors.toMap(OtlpReceiver.Received::spanId, s -> s, (a, b) -> a));
        assertEquals("", server.parentSpanId(), "the checkout request starts the trace");
        for (OtlpReceiver.Received span : trace) {
            boolean ownRun = family.closed.contains(span.attributes().get("workflowId"));
            if (span.name().startsWith("RunActivity:") && ownRun || span.scope().equals(PANEL_TRACER)
                    && family.closed.contains(workflowOfPanelSpan(span, byId))) {
                assertTrue(leadsTo(span, server.spanId(), byId), span.name() + " does not lead to the HTTP span");
            }
        }
        // Each workers' panel call is a child of the activity that made it; the api's capacity reads at checkout are
        // children of the HTTP request's span.
        for (OtlpReceiver.Received span : trace) {
            if (span.scope().equals(PANEL_TRACER)) {
                assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.kind());
                OtlpReceiver.Received parent = byId.get(span.parentSpanId());
                boolean fromApi = span.service().endsWith("-api");
                assertTrue(parent != null && (fromApi ? parent.spanId().equals(server.spanId())
                        : parent.name().startsWith("RunActivity:")), span.name() + " under " + parent);
            }
        }
        Set<String> services = trace.stream().map(OtlpReceiver.Received::service).collect(Collectors.toSet());
        assertEquals(Set.of("admintk-orchestrator-api", "admintk-orchestrator-worker"), services,
                "one trace across both processes");
        // The card order is a trace of its own.
        OtlpReceiver.Received other = checkoutSpan(cardOrder);
        assertTrue(other != null && !other.traceId().equals(server.traceId()), "one trace per checkout");
    }

    @Test
    @Order(2)
    void noLogLineOfEitherProcessHoldsASecretAndHttpLinesCarryTheIds() throws Exception {
        // Refresh once more, so the refresh token has crossed the API too; then stop both processes gracefully,
        // so their shutdown lines are in what is searched.
        call("POST", "/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken), 200);
        worker.terminate(Duration.ofSeconds(60));
        api.terminate(Duration.ofSeconds(60));
        assertTrue(storeEvents.get() > 0, "the store webhook was signed and sent, so its secret was in use");
        String logs = api.output() + "\n" + worker.output();

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("customer's access token", customerToken);
        secrets.put("refresh token", refreshToken);
        secrets.put("JWT secret", env.get("JWT_SECRET"));
        secrets.put("panel application key", env.get("PANEL_APPLICATION_KEY"));
        secrets.put("panel client key", env.get("PANEL_CLIENT_KEY"));
        secrets.put("Stripe webhook secret", env.get("STRIPE_WEBHOOK_SECRET"));
        secrets.put("store webhook secret", env.get("STORE_WEBHOOK_SECRET"));
        secrets.put("encryption key", env.get("ENCRYPTION_KEYS").split(":", 2)[1]);
        secrets.put("Stripe API key", "sk_test_admintk_local");
        secrets.put("password", DemoData.PASSWORD);
        secrets.put("card payment client secret", clientSecret);
        secrets.put("secret game setting", RCON);

        List<String> leaks = leaks(logs, secrets);
        assertTrue(leaks.isEmpty(), "secrets in the logs: " + leaks);
        // The search itself finds what it looks for.
        assertEquals(List.of("secret game setting", "card number"),
                leaks("{\"message\":\"rcon " + RCON + " card 4242424242424242 order 1764374400123\"}", secrets));

        // Every process wrote JSON lines, and the HTTP line of the checkout names user, order and trace.
        List<Map<String, Object>> lines = jsonLines(api.output());
        assertFalse(jsonLines(worker.output()).isEmpty(), worker.output());
        Map<String, Object> checkoutLine = lines.stream()
                .filter(l -> "http.access".equals(l.get("logger_name")) && String.valueOf(l.get("message")).startsWith("POST /api/v1/orders 202")
                        && tkcoinsOrder.equals(l.get("orderId")))
                .findFirst().orElseThrow(() -> new AssertionError("no access line for the checkout:\n" + api.output()));
        assertEquals(customerId, checkoutLine.get("userId"));
        assertEquals(checkoutSpan(tkcoinsOrder).traceId(), checkoutLine.get("trace_id"));
        assertNotNull(checkoutLine.get("requestId"));
    }

    // ------------------------------------------------------------------ the saga as Temporal recorded it

    /** The workflows of one checkout (the order and its children, recursively) and the activities they completed. */
    private record Family(Set<String> workflowIds, Set<String> closed, List<String[]> activities, Set<String> workflowTypes) {
    }

    private static Family family(String root) {
        Set<String> ids = new LinkedHashSet<>();
        Set<String> closed = new LinkedHashSet<>();
        List<String[]> activities = new ArrayList<>();
        Set<String> types = new LinkedHashSet<>();
        List<String> queue = new ArrayList<>(List.of(root));
        while (!queue.isEmpty()) {
            String id = queue.remove(0);
            if (!ids.add(id)) {
                continue;
            }
            Map<Long, String[]> scheduled = new HashMap<>();
            for (HistoryEvent event : temporal.fetchHistory(id).getHistory().getEventsList()) {
                if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
                    var a = event.getActivityTaskScheduledEventAttributes();
                    scheduled.put(event.getEventId(), new String[] {id, a.getActivityId(), a.getActivityType().getName()});
                } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
                    activities.add(scheduled.get(event.getActivityTaskCompletedEventAttributes().getScheduledEventId()));
                } else if (event.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) {
                    queue.add(event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId());
                } else if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
                    types.add(event.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName() + "@" + id);
                } else if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
                    closed.add(id);
                }
            }
        }
        return new Family(ids, closed, activities, types);
    }

    /** What the trace lacks: the start, each closed run, each completed activity, and one span per panel call. */
    private static List<String> missing(Family family, List<OtlpReceiver.Received> trace, int panelCalls) {
        List<String> missing = new ArrayList<>();
        if (trace.stream().noneMatch(s -> s.name().equals("StartWorkflow:OrderProvisioningWorkflow"))) {
            missing.add("StartWorkflow:OrderProvisioningWorkflow");
        }
        for (String typeAtId : family.workflowTypes) {
            String[] parts = typeAtId.split("@", 2);
            if (family.closed.contains(parts[1]) && trace.stream().noneMatch(s -> s.name().equals("RunWorkflow:" + parts[0])
                    && parts[1].equals(s.attributes().get("workflowId")))) {
                missing.add("RunWorkflow:" + typeAtId);
            }
        }
        // Each completed activity has its span: as many RunActivity spans of a type in a run as it completed.
        Map<String, Long> completed = family.activities.stream()
                .collect(Collectors.groupingBy(a -> "RunActivity:" + a[2] + " of " + a[0], Collectors.counting()));
        Map<String, Long> traced = trace.stream().filter(s -> s.name().startsWith("RunActivity:"))
                .collect(Collectors.groupingBy(s -> s.name() + " of " + s.attributes().get("workflowId"), Collectors.counting()));
        completed.forEach((activity, times) -> {
            if (traced.getOrDefault(activity, 0L) < times) {
                missing.add(activity + " (" + times + " completed, " + traced.getOrDefault(activity, 0L) + " traced)");
            }
        });
        // The workflows' panel calls, one span each. The api's own reads at checkout (capacity: deployable nodes,
        // free allocations) are in the trace too, under the HTTP span, but name no activity at the simulator.
        long panelSpans = trace.stream().filter(s -> s.scope().equals(PANEL_TRACER)
                && s.service().endsWith("-worker")).count();
        if (panelSpans != panelCalls) {
            missing.add(panelCalls + " panel call spans of the workers (have " + panelSpans + ")");
        }
        if (trace.stream().noneMatch(s -> s.scope().equals(PANEL_TRACER) && s.service().endsWith("-api")
                && s.name().contains("/nodes/deployable"))) {
            missing.add("the checkout's capacity read (GET /api/application/nodes/deployable from the api)");
        }
        return missing;
    }

    /** The simulator's record of the panel requests the checkout's workflows made (each names its activity). */
    private static List<SimState.RequestRecord> panelCalls(Family family) {
        return TestStack.panel().state().requests().stream()
                .filter(r -> r.caller() != null && family.workflowIds.contains(r.caller().split(" ")[0])).toList();
    }

    private static OtlpReceiver.Received checkoutSpan(String orderId) {
        // The server span of POST /api/v1/orders whose trace started that order's workflow.
        for (OtlpReceiver.Received span : otlp.spans()) {
            if (span.kind() == Span.SpanKind.SPAN_KIND_SERVER && span.name().startsWith("POST")
                    && span.attributes().containsValue("/api/v1/orders")
                    && inTrace(span.traceId()).stream().anyMatch(s -> s.name().equals("StartWorkflow:OrderProvisioningWorkflow")
                    && ("order:" + orderId).equals(s.attributes().get("workflowId")))) {
                return span;
            }
        }
        return null;
    }

    private static List<OtlpReceiver.Received> inTrace(String traceId) {
        return otlp.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    private static boolean leadsTo(OtlpReceiver.Received span, String rootId, Map<String, OtlpReceiver.Received> byId) {
        OtlpReceiver.Received at = span;
        for (int depth = 0; at != null && depth < 64; depth++) {
            if (at.spanId().equals(rootId)) {
                return true;
            }
            at = byId.get(at.parentSpanId());
        }
        return false;
    }

    private static String workflowOfPanelSpan(OtlpReceiver.Received span, Map<String, OtlpReceiver.Received> byId) {
        OtlpReceiver.Received parent = byId.get(span.parentSpanId());
        return parent == null ? null : parent.attributes().get("workflowId");
    }

    private static List<String> names(List<OtlpReceiver.Received> spans) {
        return spans.stream().map(s -> s.service() + "/" + s.name()).toList();
    }

    // ------------------------------------------------------------------ the log search

    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![0-9A-Za-z])[0-9]{13,19}(?![0-9A-Za-z])");

    /** The names of the secrets found in {@code text}, and "card number" for a digit run that is a valid card number. */
    static List<String> leaks(String text, Map<String, String> secrets) {
        List<String> found = new ArrayList<>();
        secrets.forEach((name, value) -> {
            assertTrue(value != null && value.length() >= 8, name + " is a real value");
            if (text.contains(value)) {
                found.add(name);
            }
        });
        Matcher digits = DIGIT_RUN.matcher(text);
        while (digits.find()) {
            if (looksLikeACardNumber(digits.group())) {
                found.add("card number");
                break;
            }
        }
        return found;
    }

    /** A 15–16 digit run with a card network's prefix that passes the Luhn check (not a timestamp or an id). */
    private static boolean looksLikeACardNumber(String digits) {
        if (digits.length() < 15 || digits.length() > 16 || !digits.matches("(4|5[1-5]|3[47]|6011|2[2-7]).*")) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonLines(String output) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(json.readValue(line, Map.class));
                } catch (IOException notJson) {
                    // a line cut by the process's end
                }
            }
        }
        return lines;
    }

    // ------------------------------------------------------------------ HTTP helpers

    private static String checkout(String planId, String method, Map<String, String> eggVariables) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("planId", planId);
        body.put("serverName", "Traced " + UUID.randomUUID().toString().substring(0, 8));
        body.put("paymentMethod", method);
        if (eggVariables != null) {
            body.put("eggVariables", eggVariables);
        }
        return (String) call("POST", "/api/v1/orders", customerToken, body, 202).get("orderId");
    }

    private static Map<String, Object> awaitOrder(String orderId, Predicate<Map<String, Object>> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Map<String, Object> view;
        do {
            view = call("GET", "/api/v1/orders/" + orderId, customerToken, null, 200);
            if (done.test(view)) {
                return view;
            }
            sleep(300);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("order " + orderId + " not as expected: " + view);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(String method, String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (method.equals("POST") && path.equals("/api/v1/orders")) {
            request.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.statusCode(), () -> method + " " + path + ": " + response.body());
        return response.body().isEmpty() ? Map.of() : json.readValue(response.body(), Map.class);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
