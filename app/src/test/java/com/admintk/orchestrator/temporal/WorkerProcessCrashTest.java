package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.localstack.panel.SimState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.admintk.orchestrator.testing.AppProcess;
import com.admintk.orchestrator.testing.DemoData;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API and the workers as separate JVMs, as in production, against one Temporal test server. Orders are placed
 * through the API process; the worker process is killed with SIGKILL while an order is at each saga step in turn
 * and a new worker is started. Every order must still end ACTIVE exactly once: one server, one debit, one
 * completed run.
 */
class WorkerProcessCrashTest {

    private static final List<String> STEPS = List.of("resolveEggVariables", "charge", "ensurePanelUser",
            "createServer", "awaitInstalled", "recordServer", "notify", "startLifecycle");

    private static Map<String, String> env;
    private static AppProcess api;
    private static BlockingHttpClient http;
    private static WorkflowServiceStubs stubs;
    private static WorkflowClient temporal;
    private static GreenMail mail;

    @BeforeAll
    static void start() throws Exception {
        env = TestStack.appEnvironment("api", "crash" + UUID.randomUUID().toString().substring(0, 8).replace("-", ""));
        env.put("BCRYPT_COST", "4");
        env.put("RATE_LIMIT_ENABLED", "false");
        env.put("INSTALL_POLL_INITIAL", "1s");
        env.put("INSTALL_POLL_MAX", "2s");
        env.put("INSTALL_DEADLINE", "5m");
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        int smtpPort = mail.getSmtp().getPort();
        env.put("SMTP_HOST", "127.0.0.1");
        env.put("SMTP_PORT", Integer.toString(smtpPort));
        // Role api never seeds demo data (published passwords): seed its database from here.
        try (TestApp seeder = TestApp.start("api", Map.of("mongodb.uri", env.get("MONGODB_URI")))) {
            DemoData.seed(seeder.context());
        }
        api = AppProcess.start("crash-api", env).awaitReady(Duration.ofSeconds(90));
        http = HttpClient.create(new URL(api.baseUrl())).toBlocking();
        stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(TestStack.get().temporalTarget()).build());
        temporal = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (stubs != null) {
            stubs.shutdownNow();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    @Test
    void ordersSurviveAWorkerKilledAtEachSagaStepAndCompleteExactlyOnce() {
        String token = login();
        long before = balance(token);
        Map<String, String> killedAt = new LinkedHashMap<>();
        List<String> orders = new ArrayList<>();
        // Slow installs keep orders in awaitInstalled long enough to be caught there and in the steps around it.
        TestStack.panel().settings().installTime(Duration.ofSeconds(4));
        try {
            for (String step : STEPS) {
                try (AppProcess worker = worker("crash-worker-" + step)) {
                    String orderId = checkout(token);
                    orders.add(orderId);
                    killedAt.put(orderId, awaitStepAtOrAfter(token, orderId, step));
                    worker.kill();
                }
            }
            try (AppProcess survivor = worker("crash-worker-final")) {
                for (String orderId : orders) {
                    Map<String, Object> order = awaitTerminal(token, orderId, Duration.ofMinutes(3));
                    assertEquals("ACTIVE", order.get("status"), () -> orderId + " killed at " + killedAt.get(orderId) + ": " + order);
                    // A worker killed after the order was marked ACTIVE ("done") may have held the run's last
                    // workflow task: the survivor gets it once that task times out, so it stays up until then.
                    awaitCompletedRun("order:" + orderId, Duration.ofSeconds(60));
                }
                // SIGTERM: the worker stops polling, lets in-flight tasks finish, and exits on its own.
                survivor.terminate(Duration.ofSeconds(60));
                assertTrue(survivor.output().contains("Temporal workers stopped"), survivor.output());
            }
        } finally {
            TestStack.panel().settings().installTime(Duration.ofSeconds(2));
        }
        System.out.println("Worker killed (SIGKILL) with orders at steps: " + killedAt.values());

        for (String orderId : orders) {
            List<SimState.ServerView> servers = TestStack.panel().state().servers().stream()
                    .filter(server -> ("order:" + orderId).equals(server.externalId())).toList();
            assertEquals(1, servers.size(), "one server for " + orderId);
            assertNull(servers.get(0).status(), "installed");
            assertEquals(1, completions("order:" + orderId), "one completed run for " + orderId);
        }
        assertEquals(before - 500L * orders.size(), balance(token), "one debit per order");
    }

    private static AppProcess worker(String name) {
        Map<String, String> workerEnv = new LinkedHashMap<>(env);
        workerEnv.put("ORCHESTRATOR_ROLE", "worker");
        return AppProcess.start(name, workerEnv).awaitReady(Duration.ofSeconds(90));
    }

    /** Waits until the order is at {@code step} or past it; returns the step it was seen at. */
    private static String awaitStepAtOrAfter(String token, String orderId, String step) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int target = STEPS.indexOf(step);
        while (System.nanoTime() < deadline) {
            Map<String, Object> order = get(token, "/api/v1/orders/" + orderId);
            Object current = order.get("currentStep");
            if (current != null && STEPS.indexOf(current.toString()) >= target || "ACTIVE".equals(order.get("status"))) {
                return current == null ? "done" : current.toString();
            }
            sleep(20);
        }
        throw new AssertionError("order " + orderId + " never reached " + step);
    }

    private static void awaitCompletedRun(String workflowId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completions(workflowId) == 0 && System.nanoTime() < deadline) {
            sleep(500);
        }
    }

    private static long completions(String workflowId) {
        long completed = 0;
        for (HistoryEvent event : temporal.fetchHistory(workflowId).getHistory().getEventsList()) {
            if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
                completed++;
            }
        }
        return completed;
    }

    private static Map<String, Object> awaitTerminal(String token, String orderId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> order;
        do {
            order = get(token, "/api/v1/orders/" + orderId);
            if (List.of("ACTIVE", "FAILED", "REFUNDED", "CANCELLED", "COMPENSATION_FAILED").contains(order.get("status"))) {
                return order;
            }
            sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("order " + orderId + " not terminal: " + order);
    }

    private static String login() {
        Map<String, Object> body = http.retrieve(HttpRequest.POST("/api/v1/auth/login",
                Map.of("email", "demo@admin-tk.local", "password", "demo-password")), Argument.mapOf(String.class, Object.class));
        return (String) body.get("accessToken");
    }

    private static String checkout(String token) {
        HttpResponse<Map<String, Object>> response = http.exchange(HttpRequest.POST("/api/v1/orders",
                        Map.of("planId", "paper-2g", "serverName", "Crash test", "paymentMethod", "tkcoins"))
                .bearerAuth(token).header("Idempotency-Key", UUID.randomUUID().toString()), Argument.mapOf(String.class, Object.class));
        assertEquals(202, response.code());
        return (String) response.getBody().orElseThrow().get("orderId");
    }

    private static long balance(String token) {
        return ((Number) get(token, "/api/v1/wallet").get("balance")).longValue();
    }

    private static Map<String, Object> get(String token, String path) {
        try {
            return http.retrieve(HttpRequest.GET(path).bearerAuth(token), Argument.mapOf(String.class, Object.class));
        } catch (HttpClientResponseException e) {
            throw new AssertionError(path + " answered " + e.getStatus() + ": " + e.getResponse().getBody(String.class).orElse(""));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
