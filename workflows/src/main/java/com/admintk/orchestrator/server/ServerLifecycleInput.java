package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.PaymentMethod;

/**
 * Input of {@link ServerLifecycleWorkflow}, and what each continue-as-new carries over: the server's identity, its
 * billing terms, the next renewal, the rules it runs with ({@code policy}, null for the defaults) and its
 * {@code memory} (null on the first run). {@code status} and {@code reason} are informational for the first run.
 * {@code region} is the panel the server lives on, handed to every panel child (null: the default region, as for
 * lifecycles started before regions).
 */
public record ServerLifecycleInput(String serverId,
                                   String orderId,
                                   String customerId,
                                   String planId,
                                   int panelServerId,
                                   String externalId,
                                   BillingCycle billingCycle,
                                   PaymentMethod paymentMethod,
                                   long priceCoins,
                                   long priceAmountMinor,
                                   String currency,
                                   long renewsAtMillis,
                                   ServerLifecycleState.Status status,
                                   String reason,
                                   int cycle,
                                   String customerEmail,
                                   String serverName,
                                   LifecyclePolicy policy,
                                   LifecycleMemory memory,
                                   String region) {

    /** The shape runs started before billing (change id {@code lifecycle-billing}) were given. */
    public ServerLifecycleInput(String serverId, String orderId, String customerId, String planId, int panelServerId,
                                String externalId, BillingCycle billingCycle, PaymentMethod paymentMethod,
                                long priceCoins, long priceAmountMinor, String currency, long renewsAtMillis,
                                ServerLifecycleState.Status status, String reason, int cycle) {
        this(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle, paymentMethod, priceCoins,
                priceAmountMinor, currency, renewsAtMillis, status, reason, cycle, null, null, null, null, null);
    }

    /** The shape runs started before regions were given: the default region. */
    public ServerLifecycleInput(String serverId, String orderId, String customerId, String planId, int panelServerId,
                                String externalId, BillingCycle billingCycle, PaymentMethod paymentMethod,
                                long priceCoins, long priceAmountMinor, String currency, long renewsAtMillis,
                                ServerLifecycleState.Status status, String reason, int cycle, String customerEmail,
                                String serverName, LifecyclePolicy policy, LifecycleMemory memory) {
        this(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle, paymentMethod, priceCoins,
                priceAmountMinor, currency, renewsAtMillis, status, reason, cycle, customerEmail, serverName, policy,
                memory, null);
    }

    public ServerLifecycleInput inRegion(String panelRegion) {
        return new ServerLifecycleInput(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle,
                paymentMethod, priceCoins, priceAmountMinor, currency, renewsAtMillis, status, reason, cycle,
                customerEmail, serverName, policy, memory, panelRegion);
    }

    public ServerLifecycleInput withPolicy(LifecyclePolicy newPolicy) {
        return new ServerLifecycleInput(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle,
                paymentMethod, priceCoins, priceAmountMinor, currency, renewsAtMillis, status, reason, cycle,
                customerEmail, serverName, newPolicy, memory, region);
    }

    public ServerLifecycleInput withContact(String email, String name) {
        return new ServerLifecycleInput(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle,
                paymentMethod, priceCoins, priceAmountMinor, currency, renewsAtMillis, status, reason, cycle, email,
                name, policy, memory, region);
    }

    /** After a plan change: later renewals charge the new plan's price. The billing cycle stays the server's. */
    public ServerLifecycleInput withPlan(PlanSnapshot plan) {
        return new ServerLifecycleInput(serverId, orderId, customerId, plan.planId(), panelServerId, externalId,
                billingCycle, paymentMethod, plan.priceCoins(), plan.priceAmountMinor(),
                plan.currency() == null ? currency : plan.currency(), renewsAtMillis, status, reason, cycle,
                customerEmail, serverName, policy, memory, region);
    }

    /** Before billing: one cycle paid, the state the signals set. */
    ServerLifecycleInput next(long renewsAt, ServerLifecycleState.Status newStatus, String newReason) {
        return new ServerLifecycleInput(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle,
                paymentMethod, priceCoins, priceAmountMinor, currency, renewsAt, newStatus, newReason, cycle + 1,
                customerEmail, serverName, policy, memory, region);
    }

    /** The next run of a billing lifecycle. */
    ServerLifecycleInput next(long renewsAt, ServerLifecycleState.Status newStatus, String newReason,
                              LifecycleMemory carried) {
        return new ServerLifecycleInput(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle,
                paymentMethod, priceCoins, priceAmountMinor, currency, renewsAt, newStatus, newReason, cycle + 1,
                customerEmail, serverName, policy, carried, region);
    }
}
