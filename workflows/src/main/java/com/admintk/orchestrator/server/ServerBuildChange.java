package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.PaymentRequest;

/**
 * Input of {@link ChangeServerBuildWorkflow}: the panel server, the plan to move it to, and the money the change
 * moves, prorated by the lifecycle: {@code charge} (an upgrade, null when there is nothing to charge) or
 * {@code creditCoins} (a downgrade, 0 for none). {@code changeId} is the child's workflow id; it keys the credit.
 * {@code region} is the server's panel (null: the default region).
 */
public record ServerBuildChange(String serverId,
                                String customerId,
                                int panelServerId,
                                String changeId,
                                PlanSnapshot plan,
                                PaymentRequest charge,
                                long creditCoins,
                                String region) {

    /** The shape recorded before regions: the default region. */
    public ServerBuildChange(String serverId, String customerId, int panelServerId, String changeId, PlanSnapshot plan,
                             PaymentRequest charge, long creditCoins) {
        this(serverId, customerId, panelServerId, changeId, plan, charge, creditCoins, null);
    }
}
