package com.admintk.orchestrator.wallet;

import org.bson.Document;

import java.time.Instant;
import java.util.Date;

/**
 * A card top-up of a TK-Coins wallet as stored ({@code wallet_top_ups}, {@code _id} = top-up id). {@code paymentId}
 * names its {@code PaymentWorkflow}; {@code providerPaymentId} (the PaymentIntent) is known once the payment ended.
 */
public record TopUp(String id,
                    String customerId,
                    long coins,
                    long amountMinor,
                    String currency,
                    String paymentId,
                    TopUpStatus status,
                    String providerPaymentId,
                    String ledgerKey,
                    String reasonCode,
                    String reason,
                    Instant createdAt,
                    Instant updatedAt) {

    public static TopUp pending(String id, String customerId, long coins, long amountMinor, String currency) {
        return new TopUp(id, customerId, coins, amountMinor, currency, TopUpIds.paymentId(id), TopUpStatus.PENDING,
                null, null, null, null, null, null);
    }

    Document toDocument(Date now) {
        return new Document("_id", id).append("customerId", customerId).append("coins", coins)
                .append("amountMinor", amountMinor).append("currency", currency).append("paymentId", paymentId)
                .append("status", status.name()).append("createdAt", now).append("updatedAt", now);
    }

    static TopUp from(Document doc) {
        return new TopUp(doc.getString("_id"), doc.getString("customerId"), number(doc, "coins"),
                number(doc, "amountMinor"), doc.getString("currency"), doc.getString("paymentId"),
                TopUpStatus.valueOf(doc.getString("status")), doc.getString("providerPaymentId"),
                doc.getString("ledgerKey"), doc.getString("reasonCode"), doc.getString("reason"),
                instant(doc.getDate("createdAt")), instant(doc.getDate("updatedAt")));
    }

    private static long number(Document doc, String field) {
        Number value = doc.get(field, Number.class);
        return value == null ? 0 : value.longValue();
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
