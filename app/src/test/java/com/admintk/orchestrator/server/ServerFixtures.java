package com.admintk.orchestrator.server;

import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Helpers of the lifecycle's end-to-end tests: servers over HTTP, the panel simulator's view of them, wallet money,
 * Stripe webhooks and customer mail; and the end of every lifecycle a test class started.
 */
public final class ServerFixtures {

    private static final Logger LOG = LoggerFactory.getLogger(ServerFixtures.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServerFixtures() {
    }

    // ---- orders and servers --------------------------------------------------------------------------------------

    /** Checks out, waits until ACTIVE, and answers the order's view. */
    public static Map<String, Object> deliveredOrder(Shop shop, String token, Map<String, Object> body) {
        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "lifecycle-" + UUID.randomUUID(), body);
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        return order;
    }

    static Map<String, Object> server(Shop shop, String token, String serverId) {
        HttpResponse<Map<String, Object>> response = shop.app().exchange(HttpRequest.GET("/api/v1/servers/" + serverId)
                .bearerAuth(token));
        assertEquals(200, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return response.getBody().orElseThrow();
    }

    /** Polls the server's view until {@code done} holds; the lifecycle answers it when it runs. */
    public static Map<String, Object> awaitServer(Shop shop, String token, String serverId, Duration timeout,
                                           Predicate<Map<String, Object>> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> last;
        do {
            last = server(shop, token, serverId);
            if (done.test(last)) {
                return last;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("server " + serverId + " not as expected within " + timeout + ": " + last);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> lifecycle(Map<String, Object> server) {
        return (Map<String, Object>) server.get("lifecycle");
    }

    public static boolean fromLifecycle(Map<String, Object> server) {
        return ServerViews.FROM_LIFECYCLE.equals(lifecycle(server).get("source"));
    }

    static Instant renewsAt(Map<String, Object> server) {
        return Instant.parse((String) lifecycle(server).get("renewsAt"));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> history(Map<String, Object> server) {
        return (List<Map<String, Object>>) server.get("history");
    }

    /** The history's transitions whose reason starts with {@code prefix}. */
    static List<Map<String, Object>> transitions(Map<String, Object> server, String prefix) {
        return history(server).stream().filter(t -> String.valueOf(t.get("reason")).startsWith(prefix)).toList();
    }

    static Predicate<Map<String, Object>> hasTransition(String prefix) {
        return server -> !transitions(server, prefix).isEmpty();
    }

    public static MutableHttpRequest<?> action(MutableHttpRequest<?> request, String token, String key) {
        return request.bearerAuth(token).header("Idempotency-Key", key);
    }

    // ---- the panel simulator -------------------------------------------------------------------------------------

    static int panelServerId(String orderId) {
        return TestStack.panel().state().serverByExternalId("order:" + orderId).orElseThrow().id();
    }

    /** The server's build as the panel answers it ({@code limits}, {@code feature_limits}, …). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> panelServer(int panelServerId) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        URI.create(TestStack.panel().baseUrl() + "/api/application/servers/" + panelServerId))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer ptla_demo")
                .GET().build();
        String body = send(request).body();
        try {
            Map<String, Object> parsed = io.micronaut.json.JsonMapper.createDefault().readValue(body,
                    io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
            return (Map<String, Object>) parsed.get("attributes");
        } catch (IOException e) {
            throw new IllegalStateException("the panel answered " + body, e);
        }
    }

    @SuppressWarnings("unchecked")
    static int panelMemory(int panelServerId) {
        return ((Number) ((Map<String, Object>) panelServer(panelServerId).get("limits")).get("memory")).intValue();
    }

    /** Answered (2xx) panel calls: a refused attempt that Temporal retried is not an effect. */
    static long panelCalls(String method, String path) {
        return TestStack.panel().state().requests().stream()
                .filter(r -> method.equals(r.method()) && path.equals(r.path()) && r.status() / 100 == 2).count();
    }

    // ---- money ---------------------------------------------------------------------------------------------------

    /** Credits coins as an operator does (the admin route). */
    static void credit(Shop shop, String adminToken, String customerId, long coins) {
        HttpResponse<Map<String, Object>> credited = shop.app().exchange(action(
                HttpRequest.POST("/api/v1/admin/wallets/" + customerId + "/credit",
                        Map.of("coins", coins, "reason", "lifecycle end-to-end test")),
                adminToken, "credit-" + UUID.randomUUID()));
        assertEquals(200, credited.code(), () -> String.valueOf(credited.getBody().orElse(null)));
    }

    /** The ledger's entries whose key starts with {@code prefix}. */
    static List<Map<String, Object>> entries(Shop shop, String token, String prefix) {
        return shop.ledger(token).stream().filter(e -> String.valueOf(e.get("key")).startsWith(prefix)).toList();
    }

    static long coins(List<Map<String, Object>> entries) {
        return entries.stream().mapToLong(e -> ((Number) e.get("coins")).longValue()).sum();
    }

    /** Buys coins by card: the top-up, the fake Stripe's success, its webhook; waits until the coins are credited. */
    @SuppressWarnings("unchecked")
    static String topUpByCard(Shop shop, String token, long coins) {
        HttpResponse<Map<String, Object>> accepted = shop.app().exchange(action(
                HttpRequest.POST("/api/v1/wallet/top-ups", Map.of("coins", coins)), token,
                "topup-" + UUID.randomUUID()));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String topUpId = (String) accepted.getBody().orElseThrow().get("topUpId");
        Map<String, Object> waiting = await(Duration.ofSeconds(30), () -> topUp(shop, token, topUpId),
                t -> t.get("payment") instanceof Map<?, ?> p && "AWAITING_CUSTOMER".equals(p.get("status")));
        String pi = (String) ((Map<String, Object>) waiting.get("payment")).get("providerPaymentId");
        String ack = deliver(shop, TestStack.stripe().succeed(pi));
        assertEquals(true, ack.contains("\"accepted\""), ack);
        await(Duration.ofSeconds(30), () -> topUp(shop, token, topUpId), t -> "CREDITED".equals(t.get("status")));
        return topUpId;
    }

    private static Map<String, Object> topUp(Shop shop, String token, String topUpId) {
        HttpResponse<Map<String, Object>> response = shop.app().exchange(
                HttpRequest.GET("/api/v1/wallet/top-ups/" + topUpId).bearerAuth(token));
        assertEquals(200, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return response.getBody().orElseThrow();
    }

    /** The fake Stripe's PaymentIntents whose {@code payment_id} metadata starts with {@code prefix}. */
    static List<Map<String, Object>> intents(String paymentIdPrefix) {
        return TestStack.stripe().paymentIntents().stream()
                .filter(pi -> pi.get("metadata") instanceof Map<?, ?> m
                        && String.valueOf(m.get("payment_id")).startsWith(paymentIdPrefix)).toList();
    }

    /** POSTs the signed event as Stripe does; answers the body after asserting 200. */
    static String deliver(Shop shop, FakeStripe.SignedEvent event) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        URI.create(shop.app().url() + "/api/v1/payments/webhooks/stripe"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", event.signatureHeader())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event.payload()))
                .build();
        java.net.http.HttpResponse<String> response = send(request);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    // ---- mail ----------------------------------------------------------------------------------------------------

    /** Subjects of the mails received so far by {@code email}. */
    static List<String> subjects(Shop shop, String email) {
        return Arrays.stream(shop.mail().getReceivedMessages())
                .filter(m -> recipient(m).equalsIgnoreCase(email))
                .map(ServerFixtures::subject).toList();
    }

    static List<String> awaitSubjects(Shop shop, String email, Predicate<List<String>> done) {
        return await(Duration.ofSeconds(30), () -> subjects(shop, email), done);
    }

    private static String recipient(MimeMessage message) {
        try {
            return GreenMailUtil.getAddressList(message.getAllRecipients());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the end of a test class ---------------------------------------------------------------------------------

    /**
     * Ends every lifecycle of this app's servers, and the child runs they started. The Temporal test server outlives
     * the class: a lifecycle left running would renew, suspend or delete on the next class's workers, against its
     * database and the shared simulator. Children are found before their parent ends (a closed parent lists none)
     * and terminated too: a payment asked to cancel by its closing parent would otherwise run its undo elsewhere.
     */
    public static void endLifecycles(Shop shop) {
        WorkflowClient temporal = shop.app().bean(WorkflowClient.class);
        List<String> serverIds = shop.app().bean(Database.class).collection("servers").find()
                .map(d -> d.getString("_id")).into(new ArrayList<>());
        List<String> ended = new ArrayList<>();
        for (String serverId : serverIds) {
            Set<String> runs = new LinkedHashSet<>();
            Deque<String> toDescribe = new ArrayDeque<>(List.of(ServerLifecycleWorkflow.workflowId(serverId),
                    TerminateServerWorkflow.workflowId(serverId)));
            while (!toDescribe.isEmpty()) {
                String workflowId = toDescribe.pop();
                if (!runs.add(workflowId)) {
                    continue;
                }
                running(temporal, workflowId).ifPresent(description -> description.getPendingChildrenList().stream()
                        .map(PendingChildExecutionInfo::getWorkflowId).forEach(toDescribe::push));
            }
            for (String workflowId : runs) {
                if (running(temporal, workflowId).isPresent()) {
                    try {
                        temporal.newUntypedWorkflowStub(workflowId).terminate("the test class ended");
                    } catch (RuntimeException gone) {
                        LOG.debug("{} ended meanwhile: {}", workflowId, gone.getMessage());
                    }
                }
            }
            ended.addAll(runs);
        }
        List<String> left = ended.stream().filter(id -> running(temporal, id).isPresent()).toList();
        if (!left.isEmpty()) {
            throw new AssertionError("still running after the test class: " + left);
        }
        LOG.info("Ended the lifecycles of {} servers", serverIds.size());
    }

    private static java.util.Optional<DescribeWorkflowExecutionResponse> running(WorkflowClient temporal,
                                                                                  String workflowId) {
        try {
            DescribeWorkflowExecutionResponse description = temporal.getWorkflowServiceStubs().blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(temporal.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build());
            return description.getWorkflowExecutionInfo().getStatus()
                    == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                    ? java.util.Optional.of(description) : java.util.Optional.empty();
        } catch (io.grpc.StatusRuntimeException notFound) {
            return java.util.Optional.empty();
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    static <T> T await(Duration timeout, Supplier<T> read, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        do {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not as expected within " + timeout + ": " + last);
    }

    private static java.net.http.HttpResponse<String> send(java.net.http.HttpRequest request) {
        try {
            return HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
