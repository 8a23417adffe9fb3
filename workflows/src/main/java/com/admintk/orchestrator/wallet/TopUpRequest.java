package com.admintk.orchestrator.wallet;

/**
 * Input of {@link WalletTopUpWorkflow}: {@code coins} go to the wallet once the card pays {@code amountMinor}
 * (smallest currency unit) in {@code currency} (ISO 4217, lower case). {@code cardDeadlineSeconds}: how long the
 * payment waits for the webhook.
 */
public record TopUpRequest(String topUpId,
                           String customerId,
                           String customerEmail,
                           long coins,
                           long amountMinor,
                           String currency,
                           long cardDeadlineSeconds) {
}
