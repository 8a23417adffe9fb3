package com.admintk.orchestrator.wallet;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The top-up records in MongoDB (created {@code PENDING} by the API before the run starts), on the
 * {@code orchestration} task queue. A finished top-up is never changed again, so a late or repeated call is a no-op.
 */
@ActivityInterface
public interface TopUpActivities {

    @ActivityMethod
    void markTopUpCredited(String topUpId, String providerPaymentId, String ledgerKey, long balanceAfter);

    @ActivityMethod
    void markTopUpFailed(String topUpId, String providerPaymentId, String reasonCode, String reason);
}
