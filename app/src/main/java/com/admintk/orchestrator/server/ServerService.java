package com.admintk.orchestrator.server;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.idempotency.IdempotentRequests;
import com.admintk.orchestrator.identity.CurrentUser;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.store.Paged;
import com.admintk.orchestrator.temporal.TemporalSettings;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.client.WorkflowUpdateTimeoutOrCancelledException;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The servers resource. A server's lifecycle workflow ({@code server:{serverId}}) owns its state and does every
 * change; this service checks who may ask, asks it (signals for fire-and-forget requests, Updates where the
 * lifecycle answers), and reads its state query, or the stored record when the lifecycle cannot answer.
 *
 * <p>Every action runs at most once per {@code Idempotency-Key} ({@link IdempotentRequests}), and the key, scoped to
 * the caller and the route, is also the request id the lifecycle dedupes on: a replay that reaches the workflow (the
 * first answer was lost before it was stored) has no second effect there either.
 */
@Singleton
public class ServerService {

    private static final Logger LOG = LoggerFactory.getLogger(ServerService.class);

    /** Server ids follow their order ({@code srv-ord_…}); the pattern only keeps junk out of queries. */
    public static final String SERVER_ID = "srv-[A-Za-z0-9_-]{1,64}";
    /** How long an action waits for the lifecycle's answer before telling the caller to retry (same key). */
    static final long UPDATE_ANSWER_SECONDS = 30;

    /** Refusals the lifecycle's validators answer with; each is a 409 with the type as the code. */
    static final Set<String> REFUSALS = Set.of(ServerActionRefusals.SERVER_TERMINATED,
            ServerActionRefusals.SERVER_SUSPENDED, ServerActionRefusals.SERVER_BUSY,
            ServerActionRefusals.PLAN_UNCHANGED, ServerActionRefusals.INVALID_REQUEST);
    /** The code of a refusal whose type this API does not know (a newer worker): still a refusal, still a 409. */
    static final String ACTION_REFUSED = "SERVER_ACTION_REFUSED";

    public static final String RENEW = "renew";
    public static final String CANCEL = "cancel";
    public static final String CHANGE_PLAN = "change-plan";
    public static final String REINSTALL = "reinstall";
    public static final String SUSPEND = "suspend";
    public static final String UNSUSPEND = "unsuspend";
    public static final String TERMINATE = "terminate";

    /** How an operator suspends: by hand, or for abuse (a payment lifts neither). */
    public enum SuspensionKind { ADMIN, ABUSE }

    private final ServerStore servers;
    private final PlanCatalog plans;
    private final CurrentUser currentUser;
    private final IdempotentRequests idempotent;
    private final WorkflowClient temporal;
    private final TemporalSettings temporalSettings;

    public ServerService(ServerStore servers, PlanCatalog plans, CurrentUser currentUser, IdempotentRequests idempotent,
                         WorkflowClient temporal, TemporalSettings temporalSettings) {
        this.servers = servers;
        this.plans = plans;
        this.currentUser = currentUser;
        this.idempotent = idempotent;
        this.temporal = temporal;
        this.temporalSettings = temporalSettings;
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** A client's own servers, or, for an admin, everyone's (or one customer's). From the store: no query per item. */
    public ServerViews.Page list(Authentication who, String status, String customerId, int page, int size) {
        boolean admin = currentUser.isAdmin(who);
        String owner = admin ? customerId : currentUser.id(who);
        Paged<Document> found = servers.page(owner, status, page, size);
        List<ServerViews.Server> items = found.items().stream().map(server -> view(server, null, admin)).toList();
        return new ServerViews.Page(items, page, size, found.total());
    }

    public ServerViews.Server get(Authentication who, String serverId) {
        Document server = owned(who, serverId);
        return view(server, lifecycleState(serverId), currentUser.isAdmin(who));
    }

    // ---- the customer's actions ----------------------------------------------------------------------------------

    public IdempotentRequests.StoredResponse renew(Authentication who, String serverId, String key, Object body,
                                                   String reason, Consumer<ServerViews.Accepted> onAccepted) {
        return act(who, serverId, key, "POST renew", body, onAccepted, (server, requestId) ->
                update(who, server, "renewNow", new ServerActionRequest(requestId, currentUser.id(who), reason)));
    }

    public IdempotentRequests.StoredResponse reinstall(Authentication who, String serverId, String key, Object body,
                                                       String reason, Consumer<ServerViews.Accepted> onAccepted) {
        return act(who, serverId, key, "POST reinstall", body, onAccepted, (server, requestId) ->
                update(who, server, "reinstall", new ServerActionRequest(requestId, currentUser.id(who), reason)));
    }

    /** The plan is frozen from the catalog as checkout freezes it ({@link Plan#snapshot()}). */
    public IdempotentRequests.StoredResponse changePlan(Authentication who, String serverId, String key, Object body,
                                                        String planId, Consumer<ServerViews.Accepted> onAccepted) {
        if (planId == null || planId.isBlank()) {
            // Checked here rather than on the body, so another customer's server answers 404 whatever the body.
            owned(who, serverId);
            throw ApiException.badRequest("VALIDATION_FAILED", "Request validation failed",
                    Map.of("fields", Map.of("planId", "must not be blank")));
        }
        return act(who, serverId, key, "PATCH plan", body, onAccepted, (server, requestId) -> {
            Plan plan = plans.find(planId).filter(Plan::active).orElseThrow(() -> new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY, "PLAN_NOT_FOUND", "No plan '" + planId + "' is for sale",
                    Map.of("field", "planId")));
            return update(who, server, "changePlan",
                    new PlanChangeRequest(requestId, currentUser.id(who), plan.snapshot()));
        });
    }

    public IdempotentRequests.StoredResponse cancelAtPeriodEnd(Authentication who, String serverId, String key,
                                                               Object body, String reason,
                                                               Consumer<ServerViews.Accepted> onAccepted) {
        String why = reason == null || reason.isBlank() ? "cancelled by " + currentUser.id(who) : reason;
        return act(who, serverId, key, "POST cancel", body, onAccepted, (server, requestId) ->
                signal(who, server, CANCEL, lifecycle -> lifecycle.cancelAtPeriodEnd(why)));
    }

    // ---- operators' actions (the controller is admin-only) --------------------------------------------------------

    public IdempotentRequests.StoredResponse suspend(Authentication who, String serverId, String key, Object body,
                                                     SuspensionKind kind, String reason,
                                                     Consumer<ServerViews.Accepted> onAccepted) {
        return act(who, serverId, key, "POST admin suspend", body, onAccepted, (server, requestId) ->
                signal(who, server, SUSPEND, kind == SuspensionKind.ABUSE
                        ? lifecycle -> lifecycle.suspendForAbuse(reason) : lifecycle -> lifecycle.adminSuspend(reason)));
    }

    public IdempotentRequests.StoredResponse unsuspend(Authentication who, String serverId, String key, Object body,
                                                       String reason, Consumer<ServerViews.Accepted> onAccepted) {
        return act(who, serverId, key, "POST admin unsuspend", body, onAccepted, (server, requestId) ->
                signal(who, server, UNSUSPEND, lifecycle -> lifecycle.adminUnsuspend(reason)));
    }

    public IdempotentRequests.StoredResponse terminate(Authentication who, String serverId, String key, Object body,
                                                       String reason, Consumer<ServerViews.Accepted> onAccepted) {
        return act(who, serverId, key, "POST admin terminate", body, onAccepted, (server, requestId) ->
                signal(who, server, TERMINATE, lifecycle -> lifecycle.adminTerminate(reason)));
    }

    // ---- the steps of an action ----------------------------------------------------------------------------------

    private interface Action {
        ServerViews.Accepted run(Document server, String requestId);
    }

    /**
     * Ownership first (another customer's server is 404 whatever else is wrong), then the key. Inside the key's run
     * a refusal stores nothing, so the client may retry the same key once the server can take it.
     */
    private IdempotentRequests.StoredResponse act(Authentication who, String serverId, String key, String route,
                                                  Object body, Consumer<ServerViews.Accepted> onAccepted,
                                                  Action action) {
        owned(who, serverId);
        String scope = currentUser.id(who) + ":" + route + " " + serverId;
        return idempotent.run(key, scope, body, () -> {
            // Read again inside the claim: a termination may have finished since the ownership check.
            Document server = servers.find(serverId).orElseThrow(() -> ApiException.notFound("Server"));
            requireNotTerminated(server);
            String requestId = "http:" + IdempotentRequests.derivedId(scope, key);
            ServerViews.Accepted accepted = action.run(server, requestId);
            LOG.info("Server {}: {} accepted for {} ({})", serverId, accepted.action(), currentUser.id(who),
                    accepted.workflowId());
            onAccepted.accept(accepted);
            return new AbstractMap.SimpleEntry<>(HttpStatus.ACCEPTED, accepted);
        });
    }

    private ServerViews.Accepted signal(Authentication who, Document server, String action,
                                        Consumer<ServerLifecycleWorkflow> send) {
        String serverId = server.getString("_id");
        String workflowId = ServerLifecycleWorkflow.workflowId(serverId);
        try {
            send.accept(temporal.newWorkflowStub(ServerLifecycleWorkflow.class, workflowId));
        } catch (WorkflowNotFoundException gone) {
            throw lifecycleGone(server);
        }
        return accepted(who, serverId, action, workflowId, false);
    }

    /**
     * An Update: the lifecycle's validator may refuse it (409 with the refusal's type). Its update id is the request
     * id, so Temporal itself answers a repeat within the run with the first result.
     */
    private ServerViews.Accepted update(Authentication who, Document server, String updateName, Object request) {
        String serverId = server.getString("_id");
        String requestId = request instanceof ServerActionRequest r ? r.requestId()
                : ((PlanChangeRequest) request).requestId();
        WorkflowStub lifecycle = temporal.newUntypedWorkflowStub(ServerLifecycleWorkflow.workflowId(serverId));
        ServerActionAccepted answer;
        try {
            answer = lifecycle.startUpdate(UpdateOptions.newBuilder(ServerActionAccepted.class)
                            .setUpdateName(updateName)
                            .setUpdateId(requestId)
                            .setWaitForStage(WorkflowUpdateStage.ACCEPTED)
                            .build(), request)
                    .getResult(UPDATE_ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (WorkflowUpdateException refused) {
            throw refusal(refused);
        } catch (WorkflowNotFoundException gone) {
            throw lifecycleGone(server);
        } catch (WorkflowUpdateTimeoutOrCancelledException slow) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "LIFECYCLE_UNAVAILABLE",
                    "The server's lifecycle did not answer in time; retry with the same Idempotency-Key",
                    Map.of(), Map.of("Retry-After", "5"));
        }
        String action = switch (updateName) {
            case "renewNow" -> RENEW;
            case "changePlan" -> CHANGE_PLAN;
            default -> REINSTALL;
        };
        return accepted(who, serverId, action, answer.workflowId(), answer.alreadyRunning());
    }

    /** The lifecycle refused: a known refusal is 409 with its type as the code, any other one a generic 409. */
    static ApiException refusal(WorkflowUpdateException refused) {
        // The code travels as the cause of the validator's exception (sdk-java#2875 loses a top-level type).
        String code = ServerActionRefusals.codeOf(refused);
        if (code != null) {
            String message = null;
            for (Throwable t = refused; t != null; t = t.getCause()) {
                if (t instanceof ApplicationFailure failure && code.equals(failure.getType())) {
                    message = failure.getOriginalMessage();
                    break;
                }
            }
            return new ApiException(HttpStatus.CONFLICT, code, message == null || message.isBlank()
                    ? "The server cannot take this request now" : message,
                    Map.of("action", String.valueOf(refused.GetUpdateName())));
        }
        String type = refused.getCause() instanceof ApplicationFailure failure ? failure.getType() : null;
        LOG.warn("Update {} refused with an unknown reason: {}", refused.GetUpdateName(), type, refused);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", String.valueOf(refused.GetUpdateName()));
        if (type != null) {
            details.put("refusal", type);
        }
        return new ApiException(HttpStatus.CONFLICT, ACTION_REFUSED, "The server's lifecycle refused this request",
                details);
    }

    /** A terminated server takes nothing more, signals included: answered here, without asking the workflow. */
    private static void requireNotTerminated(Document server) {
        String status = server.getString("status");
        if (ServerStore.TERMINATED.equals(status) || ServerStore.RELEASED.equals(status)) {
            throw new ApiException(HttpStatus.CONFLICT, ServerActionRefusals.SERVER_TERMINATED,
                    "The server is " + status.toLowerCase() + ": nothing can be done to it any more",
                    Map.of("status", status));
        }
    }

    /** No run to ask: it ended (terminated) or never ran here (a lost in-memory Temporal on the local stack). */
    private ApiException lifecycleGone(Document server) {
        String serverId = server.getString("_id");
        Document now = servers.find(serverId).orElse(server);
        requireNotTerminated(now);
        return new ApiException(HttpStatus.CONFLICT, "LIFECYCLE_NOT_RUNNING",
                "The server's lifecycle is not running; an operator must look at it", Map.of());
    }

    private ServerViews.Accepted accepted(Authentication who, String serverId, String action, String workflowId,
                                          boolean alreadyRunning) {
        return new ServerViews.Accepted(serverId, action, workflowId, alreadyRunning,
                links(serverId, workflowId, currentUser.isAdmin(who)));
    }

    // ---- views ---------------------------------------------------------------------------------------------------

    private Document owned(Authentication who, String serverId) {
        Document server = servers.find(serverId).orElseThrow(() -> ApiException.notFound("Server"));
        currentUser.requireOwnerOrAdmin(who, server.getString("customerId"), "Server");
        return server;
    }

    /** The lifecycle's own answer, or null when it cannot answer now. */
    private ServerLifecycleState lifecycleState(String serverId) {
        try {
            return temporal.newWorkflowStub(ServerLifecycleWorkflow.class, ServerLifecycleWorkflow.workflowId(serverId))
                    .state();
        } catch (RuntimeException queryFailed) {
            LOG.debug("State query for server {} failed: {}", serverId, queryFailed.getMessage());
            return null;
        }
    }

    /** The run in the Temporal Web UI is for operators, as for orders. */
    private Map<String, String> links(String serverId, String workflowId, boolean admin) {
        String self = "/api/v1/servers/" + serverId;
        return admin ? Map.of("self", self, "run", temporalSettings.runLink(workflowId)) : Map.of("self", self);
    }

    private ServerViews.Server view(Document server, ServerLifecycleState state, boolean admin) {
        String serverId = server.getString("_id");
        Map<String, String> links = new LinkedHashMap<>(links(serverId,
                ServerLifecycleWorkflow.workflowId(serverId), admin));
        String orderId = server.getString("orderId");
        if (orderId != null) {
            links.put("order", "/api/v1/orders/" + orderId);
        }
        ServerViews.Lifecycle lifecycle = state != null && state.status() != null ? lifecycle(state) : stored(server);
        List<ServerViews.Transition> history = state == null || state.history() == null ? List.of()
                : state.history().stream().map(ServerService::transition).toList();
        return new ServerViews.Server(serverId, server.getString("name"), server.getString("customerId"), orderId,
                lifecycle.status(), plan(server), panel(server), lifecycle, history, instant(server.getDate("createdAt")),
                instant(server.getDate("terminatedAt")), links);
    }

    private ServerViews.Plan plan(Document server) {
        String planId = server.getString("planId");
        Plan plan = planId == null ? null : plans.find(planId).orElse(null);
        return new ServerViews.Plan(planId, plan == null ? null : plan.name(), plan == null ? null : plan.limits(),
                plan == null ? null : plan.featureLimits(), number(server.get("priceCoins")),
                number(server.get("priceAmountMinor")), server.getString("currency"), server.getString("billingCycle"),
                server.getString("paymentMethod"));
    }

    private static ServerViews.Panel panel(Document server) {
        return new ServerViews.Panel((int) number(server.get("panelServerId")), server.getString("panelUuid"),
                server.getString("panelIdentifier"), (int) number(server.get("node")), server.getString("externalId"));
    }

    private static ServerViews.Lifecycle lifecycle(ServerLifecycleState state) {
        return new ServerViews.Lifecycle(state.status().name(),
                state.suspension() == null ? null : state.suspension().name(), state.reason(),
                millis(state.renewsAtMillis()), millis(state.nextAttemptAtMillis()), millis(state.graceEndsAtMillis()),
                state.cancelAtPeriodEnd(), state.failedChargeAttempts(), ServerViews.FROM_LIFECYCLE);
    }

    private static ServerViews.Lifecycle stored(Document server) {
        return new ServerViews.Lifecycle(server.getString("status"), server.getString("suspension"),
                server.getString("statusReason"), instant(server.getDate("renewsAt")), null, null, false, 0,
                ServerViews.FROM_STORE);
    }

    private static ServerViews.Transition transition(Transition transition) {
        return new ServerViews.Transition(Instant.ofEpochMilli(transition.atMillis()),
                transition.from() == null ? null : transition.from().name(),
                transition.to() == null ? null : transition.to().name(),
                transition.suspension() == null ? null : transition.suspension().name(), transition.reason());
    }

    private static Instant millis(long epochMillis) {
        return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis) : null;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
