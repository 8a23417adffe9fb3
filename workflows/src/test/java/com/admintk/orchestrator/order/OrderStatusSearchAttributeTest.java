package com.admintk.orchestrator.order;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.admintk.orchestrator.testing.SagaRig.CUSTOMER;
import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 8 B: an operator filters orders by outcome in the Web UI, where a refunded and a delivered order both read
 * "Completed". The run carries {@code OrderStatus} and upserts it at each status transition.
 */
class OrderStatusSearchAttributeTest {

    private final SagaRig rig = new SagaRig();

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void aDeliveredOrderReadsActive() {
        assertEquals(OrderStatus.ACTIVE, rig.run(order("o-sa-active", PaymentMethod.TKCOINS)).status());

        assertEquals("ACTIVE", attribute("o-sa-active"));
        assertEquals(List.of("PROCESSING", "ACTIVE"), upserted("o-sa-active"));
    }

    @Test
    void aRefundedOrderReadsRefundedAfterCompensating() {
        rig.panel.install = FakePanel.Install.FAILS;
        assertEquals(OrderStatus.REFUNDED, rig.run(order("o-sa-refunded", PaymentMethod.TKCOINS)).status());

        assertEquals("REFUNDED", attribute("o-sa-refunded"));
        assertEquals(List.of("PROCESSING", "COMPENSATING", "REFUNDED"), upserted("o-sa-refunded"));
    }

    @Test
    void anOrderThatCouldNotBePaidReadsFailed() {
        rig.payments.setBalance(CUSTOMER, 100);
        assertEquals(OrderStatus.FAILED, rig.run(order("o-sa-failed", PaymentMethod.TKCOINS)).status());

        assertEquals("FAILED", attribute("o-sa-failed"));
        assertEquals(List.of("PROCESSING", "COMPENSATING", "FAILED"), upserted("o-sa-failed"));
    }

    @Test
    void anOrderWaitingForItsCardPaymentReadsProcessing() {
        OrderProvisioningWorkflow running = rig.start(order("o-sa-waiting", PaymentMethod.CARD));
        // Waits on the payment run through DescribeWorkflowExecution, not a query: a query racing the workflow's
        // own tasks can leave the test server's time-skipping lock held, and the getResult below never returns.
        String payment = PaymentIds.workflowId(PaymentIds.forOrder("o-sa-waiting", 1));
        // Cancelled only once its payment activity has completed: a cancel racing that activity's completion makes
        // the test server refuse the payment run's task (ACTIVITY_UNKNOWN) and the run never closes.
        eventually(() -> rig.running(payment) && rig.client.fetchHistory(payment).getEvents().stream()
                .anyMatch(HistoryEvent::hasActivityTaskCompletedEventAttributes));

        assertEquals("PROCESSING", attribute("o-sa-waiting"));
        running.cancel("test over");
        assertEquals(OrderStatus.CANCELLED, rig.resultOf("o-sa-waiting").status());
        assertEquals("CANCELLED", attribute("o-sa-waiting"));
    }

    private String attribute(String orderId) {
        return rig.untyped(OrderIds.workflowId(orderId)).describe().getTypedSearchAttributes()
                .get(SearchAttributes.ORDER_STATUS);
    }

    /** Every OrderStatus value the run upserted, in order. */
    private List<String> upserted(String orderId) {
        return rig.client.fetchHistory(OrderIds.workflowId(orderId)).getEvents().stream()
                .filter(HistoryEvent::hasUpsertWorkflowSearchAttributesEventAttributes)
                .map(e -> e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap()
                        .get(SearchAttributes.ORDER_STATUS.getName()))
                .filter(payload -> payload != null)
                .map(OrderStatusSearchAttributeTest::text)
                .toList();
    }

    private static String text(Payload payload) {
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
    }
}
