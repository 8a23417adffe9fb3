package com.admintk.orchestrator.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.WebhookEventRepository;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/**
 * Stripe calls this; it proves itself by signature, not by token. Verification comes first, on the raw body; a bad
 * signature is 401 and nothing is written. Each event id is handed on once.
 */
@Controller("/api/v1/payments/webhooks")
@Requires(condition = ServesApi.class)
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "payments")
public class StripeWebhookController {

    @Serdeable
    public record WebhookAck(String eventId, String status) {
    }

    private final StripeWebhookVerifier verifier;
    private final WebhookEventRepository events;
    private final PaymentEventSink sink;
    private final AuditLog audit;
    private final MeterRegistry metrics;

    public StripeWebhookController(StripeWebhookVerifier verifier, WebhookEventRepository events, PaymentEventSink sink,
                                   AuditLog audit, MeterRegistry metrics) {
        this.metrics = metrics;
        this.verifier = verifier;
        this.events = events;
        this.sink = sink;
        this.audit = audit;
        // At 0 from the start, so increase() sees the first rejected webhook of a process's life.
        for (String result : List.of("accepted", "duplicate", "rejected")) {
            counter(result);
        }
    }

    @Post("/stripe")
    @Consumes({MediaType.APPLICATION_JSON, "application/json; charset=utf-8"})
    @Operation(summary = "Stripe webhook", description = "Verified with the Stripe-Signature header; replays are acknowledged and ignored")
    public WebhookAck stripe(HttpRequest<?> request, @Body String payload,
                             @Nullable @Header("Stripe-Signature") String signature) {
        // A rejected delivery writes nothing (not even an audit entry): forged requests must not fill the database.
        StripeWebhookVerifier.VerifiedEvent event;
        try {
            event = verifier.verify(payload, signature);
        } catch (RuntimeException rejected) {
            count("rejected");
            throw rejected;
        }
        WebhookEventRepository.Claim claim = events.claim("stripe", event.id(), event.type());
        if (claim == WebhookEventRepository.Claim.REPLAY) {
            count("duplicate");
            return new WebhookAck(event.id(), "duplicate");
        }
        sink.accept("stripe", event.id(), event.type(), event.payload());
        events.markProcessed("stripe", event.id());
        audit.record("stripe", "PROVIDER", AuditLog.Actions.WEBHOOK_RECEIVED, "stripe-event:" + event.id(), AuditLog.SUCCESS,
                null, RequestIds.of(request), null, Map.of("type", event.type()));
        count("accepted");
        return new WebhookAck(event.id(), "accepted");
    }

    /** {@code payment_webhooks_total{provider,result}}: the webhook-failure alert watches {@code rejected}. */
    private void count(String result) {
        counter(result).increment();
    }

    private Counter counter(String result) {
        return Counter.builder("payment.webhooks").tag("provider", "stripe").tag("result", result).register(metrics);
    }
}
