package com.admintk.orchestrator.wallet;

/**
 * Keys of a wallet top-up, all derived from the top-up id (which follows the HTTP {@code Idempotency-Key}), so a
 * repeated request, a retried activity or a replayed workflow names the same payment and the same ledger entry.
 */
public final class TopUpIds {

    private TopUpIds() {
    }

    public static String workflowId(String topUpId) {
        return "topup:" + topUpId;
    }

    /** The card payment of the top-up; its workflow is {@code payment:{paymentId}}. */
    public static String paymentId(String topUpId) {
        return topUpId + "-p1";
    }

    /** The ledger key of the credit: one credit per top-up, whatever redelivers or retries. */
    public static String creditKey(String topUpId) {
        return "topup:" + topUpId;
    }
}
