package com.admintk.orchestrator.security;

import com.admintk.orchestrator.error.ApiException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Verifies a Stripe webhook on the raw body with stripe-java: HMAC-SHA256 signature(s) under the endpoint secret
 * ({@code STRIPE_WEBHOOK_SECRET}) and a timestamp tolerance ({@code orchestrator.security.webhooks.stripe-tolerance},
 * default 300 s).
 */
@Singleton
public class StripeWebhookVerifier {

    /** What the orchestrator needs of a verified event. */
    public record VerifiedEvent(String id, String type, long created, String payload) {
    }

    private final String secret;
    private final long toleranceSeconds;

    public StripeWebhookVerifier(@Value("${orchestrator.security.webhooks.stripe-secret:}") String secret,
                                 @Value("${orchestrator.security.webhooks.stripe-tolerance:300}") long toleranceSeconds) {
        this.secret = secret;
        this.toleranceSeconds = toleranceSeconds;
    }

    /** @throws ApiException 401 SIGNATURE_INVALID when the signature, its timestamp or the payload do not check out */
    public VerifiedEvent verify(String payload, @Nullable String signatureHeader) {
        if (secret.isBlank()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "WEBHOOK_NOT_CONFIGURED", "Stripe webhooks are not configured");
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw invalid("missing Stripe-Signature header");
        }
        try {
            Event event = Webhook.constructEvent(payload, signatureHeader, secret, toleranceSeconds);
            if (event.getId() == null || event.getType() == null) {
                throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_EVENT", "The event has no id or type",
                        Map.of("field", event.getId() == null ? "id" : "type"));
            }
            return new VerifiedEvent(event.getId(), event.getType(), event.getCreated() == null ? 0 : event.getCreated(), payload);
        } catch (SignatureVerificationException e) {
            throw invalid(e.getMessage());
        } catch (com.google.gson.JsonParseException e) {
            throw invalid("payload is not an event");
        }
    }

    private static ApiException invalid(String reason) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "SIGNATURE_INVALID", "Webhook signature verification failed",
                Map.of("reason", reason == null ? "" : reason));
    }
}
