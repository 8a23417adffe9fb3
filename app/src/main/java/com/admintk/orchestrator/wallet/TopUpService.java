package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.idempotency.IdempotentRequests;
import com.admintk.orchestrator.identity.CurrentUser;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.identity.UserRecord;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.payment.PaymentDetails;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.temporal.SearchAttributeRegistrar;
import com.admintk.orchestrator.temporal.TemporalSettings;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Buying TK-Coins by card. The API records the top-up {@code PENDING} and starts {@code topup:{topUpId}} once per
 * {@code Idempotency-Key}; the workflow takes the card payment and credits the wallet when the webhook says it paid.
 */
@Singleton
public class TopUpService {

    private static final Logger LOG = LoggerFactory.getLogger(TopUpService.class);
    static final String ROUTE = "POST /api/v1/wallet/top-ups";

    private final TopUpStore topUps;
    private final TopUpSettings settings;
    private final UserService users;
    private final CurrentUser currentUser;
    private final IdempotentRequests idempotent;
    private final WorkflowClient temporal;
    private final TemporalSettings temporalSettings;
    private final SearchAttributeRegistrar searchAttributes;

    public TopUpService(TopUpStore topUps, TopUpSettings settings, UserService users, CurrentUser currentUser,
                        IdempotentRequests idempotent, WorkflowClient temporal, TemporalSettings temporalSettings,
                        SearchAttributeRegistrar searchAttributes) {
        this.topUps = topUps;
        this.settings = settings;
        this.users = users;
        this.currentUser = currentUser;
        this.idempotent = idempotent;
        this.temporal = temporal;
        this.temporalSettings = temporalSettings;
        this.searchAttributes = searchAttributes;
    }

    /** {@code onAccepted} runs for the first request only (replays do not repeat it). */
    public IdempotentRequests.StoredResponse start(Authentication who, String idempotencyKey, NewTopUp body,
                                                   Consumer<TopUpViews.TopUp> onAccepted) {
        if (!who.getRoles().contains(Roles.CLIENT)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "TOP_UP_CUSTOMERS_ONLY",
                    "Top-ups are bought by customers for their own wallet");
        }
        long coins = requireCoinsInRange(body);
        String customerId = currentUser.id(who);
        String scope = customerId + ":" + ROUTE;
        return idempotent.run(idempotencyKey, scope, body, () -> {
            // The id follows the key, so a retry after a failed first attempt finds the same top-up and run.
            String topUpId = "top_" + IdempotentRequests.derivedId(scope, idempotencyKey);
            UserRecord customer = users.findById(customerId).orElseThrow(() -> ApiException.notFound("Customer"));
            TopUp topUp = topUps.createOnce(TopUp.pending(topUpId, customerId, coins, settings.priceMinor(coins),
                    settings.currency()));
            startRun(topUp, customer);
            LOG.info("Top-up {} of {} TK-Coins accepted for {} ({} {})", topUpId, coins, customerId,
                    topUp.amountMinor(), topUp.currency());
            TopUpViews.TopUp accepted = view(topUp, null, currentUser.isAdmin(who));
            onAccepted.accept(accepted);
            return new AbstractMap.SimpleEntry<>(HttpStatus.ACCEPTED, accepted);
        });
    }

    public TopUpViews.TopUp get(Authentication who, String topUpId) {
        TopUp topUp = topUps.find(topUpId).orElseThrow(() -> ApiException.notFound("Top-up"));
        currentUser.requireOwnerOrAdmin(who, topUp.customerId(), "Top-up");
        return view(topUp, livePayment(topUp), currentUser.isAdmin(who));
    }

    /** A client's own top-ups; an admin's view of everyone's, or of one customer's. */
    public TopUpViews.Page list(Authentication who, String customerId, TopUpStatus status, int page, int size) {
        boolean admin = currentUser.isAdmin(who);
        String owner = admin ? customerId : currentUser.id(who);
        List<TopUpViews.TopUp> items = topUps.list(owner, status, page, size).stream()
                .map(topUp -> view(topUp, null, admin)).toList();
        return new TopUpViews.Page(items, page, size, topUps.count(owner, status));
    }

    private long requireCoinsInRange(NewTopUp body) {
        Long coins = body == null ? null : body.coins();
        if (coins == null || coins < settings.minCoins() || coins > settings.maxCoins()) {
            throw ApiException.badRequest("TOP_UP_COINS_OUT_OF_RANGE",
                    "coins must be between " + settings.minCoins() + " and " + settings.maxCoins(),
                    Map.of("field", "coins", "min", settings.minCoins(), "max", settings.maxCoins()));
        }
        return coins;
    }

    private void startRun(TopUp topUp, UserRecord customer) {
        searchAttributes.ensureRegistered();
        WalletTopUpWorkflow workflow = temporal.newWorkflowStub(WalletTopUpWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TopUpIds.workflowId(topUp.id()))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                // One run per top-up, ever: a finished one is not paid again.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.CUSTOMER_ID, topUp.customerId())
                        .build())
                .build());
        try {
            WorkflowClient.start(workflow::topUp, new TopUpRequest(topUp.id(), customer.id(), customer.email(),
                    topUp.coins(), topUp.amountMinor(), topUp.currency(), settings.paymentDeadline().toSeconds()));
        } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
            // An earlier request with this key started it (its answer was lost): that run is this top-up's.
            LOG.info("Top-up {} already has its run", topUp.id());
        }
    }

    /** The card payment as its workflow sees it, while the top-up waits for it; the stored record afterwards. */
    private TopUpViews.Payment livePayment(TopUp topUp) {
        if (topUp.status() != TopUpStatus.PENDING) {
            return new TopUpViews.Payment("card", null, topUp.providerPaymentId(), null);
        }
        try {
            PaymentDetails details = temporal.newWorkflowStub(PaymentWorkflow.class,
                    PaymentIds.workflowId(topUp.paymentId())).details();
            return new TopUpViews.Payment("card", details.status().name(), details.providerPaymentId(),
                    details.clientSecret());
        } catch (RuntimeException notYet) {
            // The payment has not started yet, or no worker answers right now: the client polls again.
            return new TopUpViews.Payment("card", null, null, null);
        }
    }

    private TopUpViews.TopUp view(TopUp topUp, TopUpViews.Payment payment, boolean admin) {
        String self = "/api/v1/wallet/top-ups/" + topUp.id();
        Map<String, String> links = admin
                ? Map.of("self", self, "run", temporalSettings.runLink(TopUpIds.workflowId(topUp.id())))
                : Map.of("self", self);
        return new TopUpViews.TopUp(topUp.id(), topUp.customerId(), topUp.status().name(), topUp.coins(),
                topUp.amountMinor(), topUp.currency(), payment, topUp.reasonCode(), admin ? topUp.reason() : null,
                topUp.createdAt(), topUp.updatedAt(), links);
    }
}
