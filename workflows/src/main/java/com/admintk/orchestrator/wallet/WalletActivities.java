package com.admintk.orchestrator.wallet;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** TK-Coins credits, on the {@code payments} task queue next to the other money movements. */
@ActivityInterface
public interface WalletActivities {

    /**
     * Credits {@code coins} under {@code ledgerKey} (unique in the ledger): a repeat answers the first entry and
     * gives nothing more. A key already used for another movement fails non-retryably with
     * {@code LEDGER_KEY_REUSED}.
     */
    @ActivityMethod
    WalletCredit credit(String ledgerKey, String customerId, long coins, String reason);
}
