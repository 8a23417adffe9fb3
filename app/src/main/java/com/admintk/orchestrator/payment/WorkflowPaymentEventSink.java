package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.security.PaymentEventSink;
import com.admintk.orchestrator.security.RecordingPaymentEventSink;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Delivers verified Stripe events to the payment workflow they belong to, as the {@code webhook} signal. The
 * PaymentIntent carries our payment id in its metadata; the workflow ignores an event that does not fit its state,
 * so repeats and out-of-order deliveries are harmless.
 */
@Singleton
@Replaces(RecordingPaymentEventSink.class)
public class WorkflowPaymentEventSink implements PaymentEventSink {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowPaymentEventSink.class);
    private static final Set<String> SIGNALLED = Set.of(CardPaymentEvent.SUCCEEDED, CardPaymentEvent.PAYMENT_FAILED);

    private final WorkflowClient temporal;
    private final JsonMapper json;

    public WorkflowPaymentEventSink(WorkflowClient temporal, JsonMapper json) {
        this.temporal = temporal;
        this.json = json;
    }

    @Override
    public void accept(String provider, String eventId, String type, String payload) {
        if (!SIGNALLED.contains(type)) {
            LOG.info("Ignoring {} event {} of type {}", provider, eventId, type);
            return;
        }
        JsonNode intent = read(payload).get("data").get("object");
        JsonNode metadata = intent.get("metadata");
        JsonNode paymentId = metadata == null ? null : metadata.get("payment_id");
        if (paymentId == null || !paymentId.isString()) {
            LOG.warn("{} event {} carries no payment_id metadata; not ours", provider, eventId);
            return;
        }
        JsonNode error = intent.get("last_payment_error");
        CardPaymentEvent event = new CardPaymentEvent(eventId, type, text(intent, "id"), number(intent, "amount"),
                text(intent, "currency"), error == null || error.isNull() ? null : text(error, "message"));
        try {
            temporal.newWorkflowStub(PaymentWorkflow.class, PaymentIds.workflowId(paymentId.getStringValue())).webhook(event);
        } catch (WorkflowNotFoundException finished) {
            // The payment already ended (deadline passed and the intent was cancelled): nothing waits for this.
            LOG.warn("{} event {} for payment {} arrived after the payment ended", provider, eventId, paymentId.getStringValue());
        }
    }

    private JsonNode read(String payload) {
        try {
            return json.readValue(payload, Argument.of(JsonNode.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.coerceStringValue();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? 0 : value.getLongValue();
    }
}
