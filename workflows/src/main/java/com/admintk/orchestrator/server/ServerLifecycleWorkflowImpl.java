package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.SearchAttributes;
import io.temporal.workflow.Workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class ServerLifecycleWorkflowImpl implements ServerLifecycleWorkflow {

    private ServerLifecycleInput input;
    private ServerLifecycleState.Status status = ServerLifecycleState.Status.ACTIVE;
    private String reason;
    private long renewsAt;
    private String lastPaymentReference;
    private final List<String> paymentsReceived = new ArrayList<>();
    private int signalsReceived;

    @Override
    public void run(ServerLifecycleInput input) {
        this.input = input;
        this.renewsAt = input.renewsAtMillis();
        this.status = input.status() == null ? ServerLifecycleState.Status.ACTIVE : input.status();
        this.reason = input.reason();
        Workflow.upsertTypedSearchAttributes(
                SearchAttributes.SERVER_ID.valueSet(input.serverId()),
                SearchAttributes.ORDER_ID.valueSet(input.orderId()),
                SearchAttributes.CUSTOMER_ID.valueSet(input.customerId()));

        while (true) {
            int seen = signalsReceived;
            if (status == ServerLifecycleState.Status.ACTIVE) {
                long untilRenewal = Math.max(0, renewsAt - Workflow.currentTimeMillis());
                Workflow.await(Duration.ofMillis(untilRenewal), () -> signalsReceived != seen || terminated() || !paymentsReceived.isEmpty());
            } else {
                // Nothing scheduled while due or suspended: wait for a payment or an admin.
                Workflow.await(() -> signalsReceived != seen || terminated() || !paymentsReceived.isEmpty());
            }
            if (terminated()) {
                return;
            }
            if (!paymentsReceived.isEmpty()) {
                // One cycle paid: start the next one as a fresh run so the history stays short.
                ServerLifecycleState.Status carried = status == ServerLifecycleState.Status.SUSPENDED
                        ? ServerLifecycleState.Status.SUSPENDED : ServerLifecycleState.Status.ACTIVE;
                Workflow.continueAsNew(input.next(input.billingCycle().nextRenewal(renewsAt), carried, reason));
                return;
            }
            if (status == ServerLifecycleState.Status.ACTIVE && Workflow.currentTimeMillis() >= renewsAt) {
                status = ServerLifecycleState.Status.RENEWAL_DUE;
            }
        }
    }

    private boolean terminated() {
        return status == ServerLifecycleState.Status.TERMINATED;
    }

    @Override
    public void paymentReceived(String paymentReference) {
        if (paymentReference == null || paymentReference.equals(lastPaymentReference)
                || paymentsReceived.contains(paymentReference)) {
            return;
        }
        lastPaymentReference = paymentReference;
        paymentsReceived.add(paymentReference);
        signalsReceived++;
    }

    @Override
    public void adminSuspend(String reason) {
        if (!terminated()) {
            status = ServerLifecycleState.Status.SUSPENDED;
            this.reason = reason;
            signalsReceived++;
        }
    }

    @Override
    public void adminUnsuspend(String reason) {
        if (status == ServerLifecycleState.Status.SUSPENDED) {
            status = Workflow.currentTimeMillis() >= renewsAt
                    ? ServerLifecycleState.Status.RENEWAL_DUE : ServerLifecycleState.Status.ACTIVE;
            this.reason = reason;
            signalsReceived++;
        }
    }

    @Override
    public void adminTerminate(String reason) {
        status = ServerLifecycleState.Status.TERMINATED;
        this.reason = reason;
        signalsReceived++;
    }

    @Override
    public ServerLifecycleState state() {
        return new ServerLifecycleState(input == null ? null : input.serverId(), status, renewsAt, reason,
                lastPaymentReference, input == null ? 0 : input.cycle());
    }
}
