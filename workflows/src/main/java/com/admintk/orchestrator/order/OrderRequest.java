package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.server.LifecyclePolicy;

import java.util.Map;

/**
 * Input of {@link OrderProvisioningWorkflow}. {@code attempt} starts at 1; an operator's retry of a failed order
 * starts a new run with the next attempt, so it gets a fresh payment id. {@code options} may be null (defaults).
 * {@code lifecycle} is the policy the server's lifecycle starts with (dunning, grace, billing period), from
 * configuration; null (and every order recorded before it) means the defaults. {@code reservation} is the room the
 * checkout took on a node before anything was charged; null for orders recorded before capacity was reserved, which
 * place the server by the plan's deploy rules as before. {@code waitForCapacity}: the customer agreed to wait for room
 * when the panel refuses the server after the charge; null (and every order recorded before it) refunds at once.
 * {@code region} is the panel the server is made on and kept on; null (and every order recorded before regions) is
 * the default region.
 */
public record OrderRequest(String orderId,
                           int attempt,
                           Customer customer,
                           PlanSnapshot plan,
                           String serverName,
                           Map<String, String> eggVariables,
                           PaymentMethod paymentMethod,
                           OrderOptions options,
                           LifecyclePolicy lifecycle,
                           CapacityReservation reservation,
                           CapacityWait waitForCapacity,
                           String region) {

    /** The shape recorded before the lifecycle policy travelled with the order. */
    public OrderRequest(String orderId, int attempt, Customer customer, PlanSnapshot plan, String serverName,
                        Map<String, String> eggVariables, PaymentMethod paymentMethod, OrderOptions options) {
        this(orderId, attempt, customer, plan, serverName, eggVariables, paymentMethod, options, null, null, null,
                null);
    }

    /** The shape recorded before capacity was reserved at checkout. */
    public OrderRequest(String orderId, int attempt, Customer customer, PlanSnapshot plan, String serverName,
                        Map<String, String> eggVariables, PaymentMethod paymentMethod, OrderOptions options,
                        LifecyclePolicy lifecycle) {
        this(orderId, attempt, customer, plan, serverName, eggVariables, paymentMethod, options, lifecycle, null,
                null, null);
    }

    /** The shape recorded before an order could wait for capacity or name its region. */
    public OrderRequest(String orderId, int attempt, Customer customer, PlanSnapshot plan, String serverName,
                        Map<String, String> eggVariables, PaymentMethod paymentMethod, OrderOptions options,
                        LifecyclePolicy lifecycle, CapacityReservation reservation) {
        this(orderId, attempt, customer, plan, serverName, eggVariables, paymentMethod, options, lifecycle,
                reservation, null, null);
    }

    public OrderRequest withReservation(CapacityReservation held) {
        return new OrderRequest(orderId, attempt, customer, plan, serverName, eggVariables, paymentMethod, options,
                lifecycle, held, waitForCapacity, region);
    }

    public OrderRequest withWaitForCapacity(CapacityWait wait) {
        return new OrderRequest(orderId, attempt, customer, plan, serverName, eggVariables, paymentMethod, options,
                lifecycle, reservation, wait, region);
    }

    public OrderRequest withRegion(String panelRegion) {
        return new OrderRequest(orderId, attempt, customer, plan, serverName, eggVariables, paymentMethod, options,
                lifecycle, reservation, waitForCapacity, panelRegion);
    }

    /** The policy the lifecycle runs with: the configured one, or the defaults. */
    public LifecyclePolicy lifecyclePolicy() {
        return (lifecycle == null ? LifecyclePolicy.defaults() : lifecycle).withDefaults();
    }

    /** The panel's external_id of this order's server. */
    public String externalId() {
        return OrderIds.externalId(orderId);
    }
}
