package com.admintk.orchestrator.wallet;

/**
 * How a top-up ended. {@code ledgerKey} and {@code balanceAfter} are set when {@link TopUpStatus#CREDITED};
 * {@code reasonCode} (a {@code PaymentFailures} type or {@link TopUpFailures}) when {@link TopUpStatus#FAILED}.
 */
public record TopUpResult(String topUpId,
                          TopUpStatus status,
                          String paymentId,
                          String providerPaymentId,
                          String ledgerKey,
                          long balanceAfter,
                          String reasonCode,
                          String reason) {
}
