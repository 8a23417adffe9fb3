package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.payment.CardPaymentEvent;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentStatus;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.payment.PaymentWorkflowImpl;
import com.admintk.orchestrator.testing.FakePayments;
import com.admintk.orchestrator.testing.Journal;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.admintk.orchestrator.testing.SagaRig.eventually;

/**
 * A time-skipping Temporal running {@link WalletTopUpWorkflowImpl} with the real {@link PaymentWorkflowImpl} as its
 * child, the card provider of {@link FakePayments}, a keyed ledger ({@link Ledger}) and top-up records
 * ({@link Records}).
 */
public final class TopUpRig implements AutoCloseable {

    public static final String CUSTOMER = "cust-topup";

    public final Journal journal = new Journal();
    public final FakePayments payments = new FakePayments(journal);
    public final Ledger ledger = new Ledger(journal);
    public final Records records = new Records(journal);
    public final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    public final WorkflowClient client = env.getWorkflowClient();

    public TopUpRig() {
        for (SearchAttributeKey<String> key : SearchAttributes.ALL) {
            env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
        Worker orchestration = env.newWorker(TaskQueues.ORCHESTRATION,
                WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
        orchestration.registerWorkflowImplementationTypes(WalletTopUpWorkflowImpl.class, PaymentWorkflowImpl.class);
        orchestration.registerActivitiesImplementations(records);
        env.newWorker(TaskQueues.PAYMENTS).registerActivitiesImplementations(payments, ledger);
        env.start();
    }

    public static TopUpRequest request(String topUpId, long coins) {
        return new TopUpRequest(topUpId, CUSTOMER, "demo@admin-tk.local", coins, coins, "eur", 600);
    }

    /** Starts the top-up and waits until its card payment awaits the customer; answers the payment's stub. */
    public PaymentWorkflow startAndAwaitCustomer(TopUpRequest request) {
        WalletTopUpWorkflow topUp = client.newWorkflowStub(WalletTopUpWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TopUpIds.workflowId(request.topUpId())).setTaskQueue(TaskQueues.ORCHESTRATION).build());
        WorkflowClient.start(topUp::topUp, request);
        PaymentWorkflow payment = client.newWorkflowStub(PaymentWorkflow.class,
                PaymentIds.workflowId(TopUpIds.paymentId(request.topUpId())));
        eventually(() -> payment.details().status() == PaymentStatus.AWAITING_CUSTOMER);
        return payment;
    }

    /**
     * The customer pays and Stripe says so (the same event {@code deliveries} times). Answers how many deliveries
     * found the payment already finished (closed), which the workflow therefore never counted as ignored.
     */
    public int customerPays(PaymentWorkflow payment, int deliveries) {
        int foundClosed = 0;
        String pi = payment.details().providerPaymentId();
        payments.customerPaid(pi);
        for (int i = 0; i < deliveries; i++) {
            try {
                payment.webhook(new CardPaymentEvent("evt_paid_" + pi, CardPaymentEvent.SUCCEEDED, pi, 500, "eur",
                        null));
            } catch (io.temporal.client.WorkflowNotFoundException finished) {
                if (i == 0) {
                    throw finished;
                }
                // The first delivery already finished the payment: a redelivery finds it closed, as Stripe's retries
                // of a handled event do (the webhook endpoint answers those without a signal).
                foundClosed++;
            }
        }
        return foundClosed;
    }

    public TopUpResult resultOf(String topUpId) {
        return client.newUntypedWorkflowStub(TopUpIds.workflowId(topUpId)).getResult(TopUpResult.class);
    }

    @Override
    public void close() {
        env.close();
    }

    /**
     * A ledger unique by key, as the real wallet is. {@code loseAnswers} credits that land but whose answer is lost
     * (the activity fails after the write), so Temporal retries them.
     */
    public static final class Ledger implements WalletActivities {
        private final Journal journal;
        private final Map<String, WalletCredit> entries = new LinkedHashMap<>();
        private final Map<String, Long> balances = new HashMap<>();
        private final List<String> attemptKeys = new ArrayList<>();
        public volatile int loseAnswers;
        public volatile boolean refuse;

        Ledger(Journal journal) {
            this.journal = journal;
        }

        @Override
        public synchronized WalletCredit credit(String ledgerKey, String customerId, long coins, String reason) {
            journal.add("wallet.credit:" + ledgerKey);
            attemptKeys.add(ledgerKey);
            if (refuse) {
                throw ApplicationFailure.newNonRetryableFailure("ledger key " + ledgerKey + " holds a debit",
                        TopUpFailures.LEDGER_KEY_REUSED);
            }
            WalletCredit entry = entries.computeIfAbsent(ledgerKey, key -> {
                long after = balances.merge(customerId, coins, Long::sum);
                return new WalletCredit(key, coins, after);
            });
            if (loseAnswers > 0) {
                loseAnswers--;
                throw ApplicationFailure.newFailure("connection reset after the write", "MongoSocketException");
            }
            return entry;
        }

        public synchronized long balance(String customerId) {
            return balances.getOrDefault(customerId, 0L);
        }

        public synchronized List<WalletCredit> entries() {
            return List.copyOf(entries.values());
        }

        public synchronized List<String> attemptKeys() {
            return List.copyOf(attemptKeys);
        }
    }

    /** The top-up records: a finished one never changes, as in the store. */
    public static final class Records implements TopUpActivities {
        private final Journal journal;
        private final Map<String, String> statuses = new HashMap<>();

        Records(Journal journal) {
            this.journal = journal;
        }

        @Override
        public synchronized void markTopUpCredited(String topUpId, String providerPaymentId, String ledgerKey,
                                                   long balanceAfter) {
            journal.add("records.credited:" + topUpId + ":" + ledgerKey);
            statuses.putIfAbsent(topUpId, TopUpStatus.CREDITED.name());
        }

        @Override
        public synchronized void markTopUpFailed(String topUpId, String providerPaymentId, String reasonCode,
                                                 String reason) {
            journal.add("records.failed:" + topUpId + ":" + reasonCode);
            statuses.putIfAbsent(topUpId, TopUpStatus.FAILED.name());
        }

        public synchronized String status(String topUpId) {
            return statuses.get(topUpId);
        }
    }
}
