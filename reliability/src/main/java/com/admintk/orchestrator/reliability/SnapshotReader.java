package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.reliability.Snapshot.AcceptedOrder;
import com.admintk.orchestrator.reliability.Snapshot.CardPayment;
import com.admintk.orchestrator.reliability.Snapshot.LedgerEntry;
import com.admintk.orchestrator.reliability.Snapshot.Limits;
import com.admintk.orchestrator.reliability.Snapshot.Order;
import com.admintk.orchestrator.reliability.Snapshot.PanelServer;
import com.admintk.orchestrator.reliability.Snapshot.PendingActivity;
import com.admintk.orchestrator.reliability.Snapshot.Reservation;
import com.admintk.orchestrator.reliability.Snapshot.Server;
import com.admintk.orchestrator.reliability.Snapshot.Workflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.bson.Document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a {@link Snapshot} from the real stores: MongoDB directly (orders, servers, wallets and their ledger, plans),
 * the panel through its application API (servers with their limits), the card provider's payments, Temporal by
 * describing each workflow id the harness knows (the test server has no visibility list), and the capacity
 * reservations in Redis.
 */
public final class SnapshotReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final MongoDatabase mongo;
    private final String panelUrl;
    private final String panelApplicationKey;
    private final Supplier<List<Map<String, Object>>> cardIntents;
    private final Supplier<List<Map<String, Object>>> cardRefunds;
    private final WorkflowServiceStubs temporal;
    private final String namespace;
    private final RedisCommands<String, String> redis;

    public SnapshotReader(MongoDatabase mongo, String panelUrl, String panelApplicationKey,
                          Supplier<List<Map<String, Object>>> cardIntents, Supplier<List<Map<String, Object>>> cardRefunds,
                          WorkflowServiceStubs temporal, String namespace, RedisCommands<String, String> redis) {
        this.mongo = mongo;
        this.panelUrl = panelUrl;
        this.panelApplicationKey = panelApplicationKey;
        this.cardIntents = cardIntents;
        this.cardRefunds = cardRefunds;
        this.temporal = temporal;
        this.namespace = namespace;
        this.redis = redis;
    }

    /** {@code extraWorkflowIds}: workflows the harness started besides orders and lifecycles (top-ups). */
    public Snapshot read(List<AcceptedOrder> accepted, Collection<String> extraWorkflowIds) {
        Map<String, Order> orders = orders();
        Map<String, Server> servers = servers();
        Set<String> workflowIds = new LinkedHashSet<>();
        accepted.forEach(a -> workflowIds.add("order:" + a.orderId()));
        for (Order order : orders.values()) {
            workflowIds.add("order:" + order.id());
            workflowIds.add("order:" + order.id() + ":provision:" + Math.max(1, order.attempt()));
        }
        servers.keySet().forEach(id -> workflowIds.add("server:" + id));
        workflowIds.addAll(extraWorkflowIds);
        Map<String, Workflow> workflows = new LinkedHashMap<>();
        for (String id : workflowIds) {
            workflows.put(id, describe(id));
        }
        return new Snapshot(List.copyOf(accepted), orders, servers, panelServers(), ledger(), walletBalances(),
                cardPayments(), workflows, reservations(), planLimits());
    }

    Map<String, Order> orders() {
        Map<String, Order> orders = new LinkedHashMap<>();
        for (Document d : mongo.getCollection("orders").find()) {
            orders.put(d.getString("_id"), new Order(d.getString("_id"), d.getString("customerId"), d.getString("status"),
                    d.getString("paymentMethod"), d.getInteger("attempt", 1), d.getString("serverId")));
        }
        return orders;
    }

    Map<String, Server> servers() {
        Map<String, Server> servers = new LinkedHashMap<>();
        for (Document d : mongo.getCollection("servers").find()) {
            String id = d.getString("_id");
            Number panelId = d.get("panelServerId", Number.class);
            servers.put(id, new Server(id, id.startsWith("srv-") ? id.substring(4) : null, d.getString("status"),
                    d.getString("planId"), panelId == null ? null : panelId.intValue(), d.getString("externalId")));
        }
        return servers;
    }

    List<LedgerEntry> ledger() {
        List<LedgerEntry> entries = new ArrayList<>();
        for (Document d : mongo.getCollection("wallet_ledger").find()) {
            entries.add(new LedgerEntry(d.getString("_id"), d.getString("customerId"), d.getString("type"),
                    d.get("coins", Number.class).longValue(), d.getString("refundOf")));
        }
        return entries;
    }

    Map<String, Long> walletBalances() {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (Document d : mongo.getCollection("wallets").find()) {
            balances.put(d.getString("_id"), d.get("balance", Number.class).longValue());
        }
        return balances;
    }

    Map<String, Limits> planLimits() {
        Map<String, Limits> limits = new LinkedHashMap<>();
        for (Document d : mongo.getCollection("plans").find()) {
            Document l = d.get("limits", Document.class);
            if (l != null) {
                limits.put(d.getString("_id"), new Limits(l.get("memory", Number.class).intValue(),
                        l.get("disk", Number.class).intValue(), l.get("cpu", Number.class).intValue()));
            }
        }
        return limits;
    }

    @SuppressWarnings("unchecked")
    List<CardPayment> cardPayments() {
        Set<String> refunded = new LinkedHashSet<>();
        for (Map<String, Object> refund : cardRefunds.get()) {
            if ("succeeded".equals(refund.get("status"))) {
                refunded.add(String.valueOf(refund.get("payment_intent")));
            }
        }
        List<CardPayment> payments = new ArrayList<>();
        for (Map<String, Object> intent : cardIntents.get()) {
            Map<String, Object> metadata = intent.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            String id = String.valueOf(intent.get("id"));
            payments.add(new CardPayment(id, (String) metadata.get("order_id"), (String) metadata.get("payment_id"),
                    String.valueOf(intent.get("status")), refunded.contains(id)));
        }
        return payments;
    }

    /** Every server on the panel, page by page, with its limits (the simulator's inspection list has none). */
    List<PanelServer> panelServers() {
        List<PanelServer> servers = new ArrayList<>();
        int page = 1;
        int pages;
        do {
            JsonNode body = panelGet("/api/application/servers?per_page=100&page=" + page);
            for (JsonNode item : body.path("data")) {
                JsonNode a = item.path("attributes");
                JsonNode l = a.path("limits");
                servers.add(new PanelServer(a.path("id").asInt(), a.path("external_id").isNull() ? null
                        : a.path("external_id").asText(null), a.path("suspended").asBoolean(),
                        a.path("status").isNull() ? null : a.path("status").asText(),
                        new Limits(l.path("memory").asInt(), l.path("disk").asInt(), l.path("cpu").asInt())));
            }
            pages = body.path("meta").path("pagination").path("total_pages").asInt(1);
            page++;
        } while (page <= pages);
        return servers;
    }

    private JsonNode panelGet(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(panelUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + panelApplicationKey).header("Accept", "application/json").build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return JSON.readTree(response.body());
                }
                if (attempt >= 20) {
                    throw new IllegalStateException("panel GET " + path + ": " + response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                if (attempt >= 20) {
                    throw new UncheckedIOException(e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            // The panel's own rate limit may answer 429 right after the load: wait it out.
            sleep(3_000);
        }
    }

    /** Temporal's view of one workflow id; {@code found} false when it never started. */
    public Workflow describe(String workflowId) {
        try {
            DescribeWorkflowExecutionResponse r = temporal.blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
            List<PendingActivity> pending = new ArrayList<>();
            for (PendingActivityInfo a : r.getPendingActivitiesList()) {
                pending.add(new PendingActivity(a.getActivityType().getName(), a.getAttempt(),
                        a.hasLastFailure() ? a.getLastFailure().getMessage() : null));
            }
            String status = r.getWorkflowExecutionInfo().getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "");
            return new Workflow(workflowId, true, status, pending, r.getPendingChildrenCount());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return new Workflow(workflowId, false, null, List.of(), 0);
            }
            throw e;
        }
    }

    /** Live reservations ({@code id -> expiresAt:memory:disk:allocation}, expiry on Redis' clock) of every node. */
    List<Reservation> reservations() {
        List<String> time = redis.time();
        long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
        List<Reservation> live = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches("admintk:capacity:*node:*").limit(500));
            for (String key : page.getKeys()) {
                if (!"hash".equals(redis.type(key))) {
                    continue;
                }
                redis.hgetall(key).forEach((id, value) -> {
                    String[] parts = value.split(":");
                    if (parts.length == 4 && Long.parseLong(parts[0]) > now) {
                        live.add(new Reservation(key, id, Long.parseLong(parts[0]), Integer.parseInt(parts[3])));
                    }
                });
            }
            cursor = page;
        } while (!cursor.isFinished());
        return live;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
