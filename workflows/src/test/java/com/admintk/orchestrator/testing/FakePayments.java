package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.payment.CardPayment;
import com.admintk.orchestrator.payment.CardPaymentContext;
import com.admintk.orchestrator.payment.CardPaymentStatus;
import com.admintk.orchestrator.payment.LedgerCredit;
import com.admintk.orchestrator.payment.LedgerDebit;
import com.admintk.orchestrator.payment.PaymentActivities;
import com.admintk.orchestrator.payment.PaymentFailures;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.RefundReceipt;
import com.admintk.orchestrator.payment.RefundRequest;
import io.temporal.failure.ApplicationFailure;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A wallet with an idempotent ledger and a card provider whose payments succeed only when the test says the
 * customer paid ({@link #customerPaid}).
 */
public class FakePayments implements PaymentActivities {

    private final Journal journal;
    private final Map<String, Long> balances = new HashMap<>();
    private final Map<String, LedgerDebit> debits = new HashMap<>();
    private final Map<String, RefundReceipt> refunds = new HashMap<>();
    private final Map<String, LedgerCredit> credits = new HashMap<>();
    private final Map<String, String> intentStatus = new HashMap<>();
    public volatile boolean declineCardAtCreate;

    public FakePayments(Journal journal) {
        this.journal = journal;
    }

    public synchronized void setBalance(String customerId, long coins) {
        balances.put(customerId, coins);
    }

    public synchronized long balance(String customerId) {
        return balances.getOrDefault(customerId, 0L);
    }

    /** The provider's view: the customer confirmed the payment (the webhook is the test's to send). */
    public synchronized void customerPaid(String providerPaymentId) {
        intentStatus.put(providerPaymentId, "succeeded");
    }

    public synchronized String intentStatus(String providerPaymentId) {
        return intentStatus.get(providerPaymentId);
    }

    @Override
    public synchronized LedgerDebit debit(String ledgerKey, String customerId, long coins) {
        journal.add("payments.debit:" + ledgerKey);
        LedgerDebit first = debits.get(ledgerKey);
        if (first != null) {
            return first;
        }
        long balance = balance(customerId);
        if (balance < coins) {
            throw ApplicationFailure.newNonRetryableFailure("balance " + balance + " < " + coins,
                    PaymentFailures.INSUFFICIENT_FUNDS);
        }
        balances.put(customerId, balance - coins);
        LedgerDebit debit = new LedgerDebit(ledgerKey, "le-" + ledgerKey, coins, balance - coins);
        debits.put(ledgerKey, debit);
        return debit;
    }

    @Override
    public synchronized CardPayment createCardPayment(String idempotencyKey, long amountMinor, String currency,
                                                      CardPaymentContext context) {
        journal.add("payments.createCardPayment:" + idempotencyKey);
        if (declineCardAtCreate) {
            throw ApplicationFailure.newNonRetryableFailure("Your card was declined.", PaymentFailures.PAYMENT_DECLINED);
        }
        String id = "pi_" + context.paymentId();
        intentStatus.putIfAbsent(id, "requires_payment_method");
        return new CardPayment(id, id + "_secret_x", intentStatus.get(id));
    }

    @Override
    public synchronized CardPaymentStatus cancelCardPayment(String idempotencyKey, String providerPaymentId) {
        journal.add("payments.cancelCardPayment:" + providerPaymentId);
        String status = intentStatus.get(providerPaymentId);
        if (!"succeeded".equals(status)) {
            intentStatus.put(providerPaymentId, "canceled");
            return new CardPaymentStatus(providerPaymentId, "canceled");
        }
        return new CardPaymentStatus(providerPaymentId, status);
    }

    @Override
    public synchronized RefundReceipt refund(String refundKey, RefundRequest request) {
        journal.add("payments.refund:" + refundKey);
        RefundReceipt first = refunds.get(refundKey);
        if (first != null) {
            return first;
        }
        RefundReceipt receipt;
        if (request.method() == PaymentMethod.TKCOINS) {
            LedgerDebit debit = debits.get(request.debitLedgerKey());
            if (debit == null) {
                receipt = new RefundReceipt(refundKey, false, null, 0, 0);
            } else {
                balances.merge(request.customerId(), debit.coins(), Long::sum);
                receipt = new RefundReceipt(refundKey, true, "cr-" + refundKey, debit.coins(), 0);
            }
        } else if ("succeeded".equals(intentStatus.get(request.providerPaymentId()))) {
            intentStatus.put(request.providerPaymentId(), "refunded");
            receipt = new RefundReceipt(refundKey, true, "re_" + refundKey, 0, request.amountMinor());
        } else {
            receipt = new RefundReceipt(refundKey, false, null, 0, 0);
        }
        refunds.put(refundKey, receipt);
        return receipt;
    }

    @Override
    public synchronized LedgerCredit creditWallet(String ledgerKey, String customerId, long coins, String reason) {
        journal.add("payments.creditWallet:" + ledgerKey);
        LedgerCredit first = credits.get(ledgerKey);
        if (first != null) {
            return first;
        }
        long balance = balances.merge(customerId, coins, Long::sum);
        LedgerCredit credit = new LedgerCredit(ledgerKey, "le-" + ledgerKey, coins, balance);
        credits.put(ledgerKey, credit);
        return credit;
    }

    public synchronized Map<String, LedgerCredit> credits() {
        return Map.copyOf(credits);
    }

    public synchronized Map<String, LedgerDebit> debits() {
        return Map.copyOf(debits);
    }

    public synchronized int debitCount() {
        return debits.size();
    }
}
