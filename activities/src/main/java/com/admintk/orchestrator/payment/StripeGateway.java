package com.admintk.orchestrator.payment;

import com.stripe.StripeClient;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Optional;

/**
 * The few Stripe calls card payments need, through stripe-java with a client of our own (no global
 * {@code Stripe.apiKey}/{@code overrideApiBase}, so tests and the app never share state). Every POST carries the
 * caller's idempotency key. Errors are left as stripe-java's {@link StripeException}s; {@link StripeFailures} turns
 * them into activity failures.
 */
@Singleton
public class StripeGateway {

    private final StripeClient client;
    private final StripeSettings settings;

    public StripeGateway(StripeSettings settings) {
        this.settings = settings;
        this.client = StripeClient.builder()
                .setApiKey(settings.apiKey())
                .setApiBase(settings.apiBase())
                .setConnectTimeout(settings.timeoutSeconds() * 1000)
                .setReadTimeout(settings.timeoutSeconds() * 1000)
                // Temporal retries the activity with the same key; retries hidden inside the SDK would not show in
                // the run's history.
                .setMaxNetworkRetries(0)
                .build();
    }

    /** A PaymentIntent the store's front end confirms with the client secret. */
    public CardPayment createPaymentIntent(String idempotencyKey, long amountMinor, String currency,
                                           CardPaymentContext context) throws StripeException {
        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(amountMinor)
                .setCurrency(currency.toLowerCase(Locale.ROOT))
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                        .setEnabled(true).build())
                .putMetadata("payment_id", context.paymentId());
        // A wallet top-up has no order: its payment_id alone routes the webhook back.
        if (context.orderId() != null) {
            params.putMetadata("order_id", context.orderId());
        }
        if (context.customerId() != null) {
            params.putMetadata("customer_id", context.customerId());
        }
        if (context.description() != null) {
            params.setDescription(context.description());
        }
        if (context.customerEmail() != null) {
            params.setReceiptEmail(context.customerEmail());
        }
        PaymentIntent intent = client.paymentIntents().create(params.build(), keyed(idempotencyKey));
        return new CardPayment(intent.getId(), intent.getClientSecret(), intent.getStatus());
    }

    public String status(String paymentIntentId) throws StripeException {
        return client.paymentIntents().retrieve(paymentIntentId).getStatus();
    }

    /** Cancels; answers the intent's status afterwards. Stripe refuses to cancel a succeeded or canceled intent. */
    public String cancel(String idempotencyKey, String paymentIntentId) throws StripeException {
        return client.paymentIntents().cancel(paymentIntentId, PaymentIntentCancelParams.builder()
                .setCancellationReason(PaymentIntentCancelParams.CancellationReason.ABANDONED)
                .build(), keyed(idempotencyKey)).getStatus();
    }

    /** A full refund of the intent's charge. */
    public Refund refund(String idempotencyKey, String paymentIntentId, String reason) throws StripeException {
        RefundCreateParams.Builder params = RefundCreateParams.builder().setPaymentIntent(paymentIntentId);
        if (reason != null) {
            params.putMetadata("reason", reason);
        }
        return client.refunds().create(params.build(), keyed(idempotencyKey));
    }

    /**
     * Verifies a webhook on its raw bytes ({@code Stripe-Signature}, with the configured tolerance) and reads what the
     * payment workflow needs from it. Throws {@link SignatureVerificationException} for a bad or stale signature.
     */
    public CardPaymentEvent verifyWebhook(String rawBody, String signatureHeader)
            throws SignatureVerificationException {
        Event event = Webhook.constructEvent(rawBody, signatureHeader, settings.webhookSecret(),
                settings.webhookToleranceSeconds());
        StripeObject object;
        try {
            // Unsafe only in that it ignores the event's API version: we read a handful of stable fields.
            object = event.getDataObjectDeserializer().deserializeUnsafe();
        } catch (EventDataObjectDeserializationException e) {
            object = null;
        }
        if (object instanceof PaymentIntent intent) {
            String failure = Optional.ofNullable(intent.getLastPaymentError()).map(e -> e.getMessage()).orElse(null);
            return new CardPaymentEvent(event.getId(), event.getType(), intent.getId(),
                    Optional.ofNullable(intent.getAmount()).orElse(0L), intent.getCurrency(), failure);
        }
        if (object instanceof Charge charge) {
            return new CardPaymentEvent(event.getId(), event.getType(), charge.getPaymentIntent(),
                    Optional.ofNullable(charge.getAmount()).orElse(0L), charge.getCurrency(),
                    charge.getFailureMessage());
        }
        return new CardPaymentEvent(event.getId(), event.getType(), null, 0, null, null);
    }

    private static RequestOptions keyed(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }
}
