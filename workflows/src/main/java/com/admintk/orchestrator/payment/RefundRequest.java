package com.admintk.orchestrator.payment;

/**
 * What to give back. For TK-Coins, {@code debitLedgerKey} names the debit to reverse; for card,
 * {@code providerPaymentId} names the payment to refund.
 */
public record RefundRequest(String paymentId,
                            String orderId,
                            String customerId,
                            PaymentMethod method,
                            String debitLedgerKey,
                            long coins,
                            String providerPaymentId,
                            long amountMinor,
                            String currency,
                            String reason) {

    public static RefundRequest of(PaymentRequest request, PaymentResult result, String reason) {
        return new RefundRequest(request.paymentId(), request.orderId(), request.customerId(), request.method(),
                PaymentIds.debitKey(request.paymentId()), request.coins(),
                result == null ? null : result.providerPaymentId(), request.amountMinor(), request.currency(), reason);
    }

    public RefundRequest withProviderPaymentId(String id) {
        return new RefundRequest(paymentId, orderId, customerId, method, debitLedgerKey, coins, id, amountMinor,
                currency, reason);
    }
}
