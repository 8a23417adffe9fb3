package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.PaymentRequest;

/**
 * Input of {@link ChangeServerBuildWorkflow}: the panel server, the plan to move it to, and the money the change
 * moves, prorated by the lifecycle: {@code charge} (an upgrade, null when there is nothing to charge) or
 * {@code creditCoins} (a downgrade, 0 for none). {@code changeId} is the child's workflow id; it keys the credit.
 */
public record ServerBuildChange(String serverId,
                                String customerId,
                                int panelServerId,
                                String changeId,
                                PlanSnapshot plan,
                                PaymentRequest charge,
                                long creditCoins) {
}
