package com.admintk.orchestrator.payment;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import io.temporal.failure.ApplicationFailure;

/** Stripe's answers as activity failures the payment workflow can reason about (STRIPE.md, Errors). */
final class StripeFailures {

    /** Retryable: Stripe was unreachable, rate limited, failing, or still running the first request of the key. */
    static final String STRIPE_UNAVAILABLE = "STRIPE_UNAVAILABLE";

    private StripeFailures() {
    }

    static ApplicationFailure map(String what, StripeException e) {
        String detail = what + ": " + describe(e);
        Integer status = e.getStatusCode();
        if (e instanceof CardException) {
            return ApplicationFailure.newNonRetryableFailureWithCause(detail, PaymentFailures.PAYMENT_DECLINED, e);
        }
        if (status != null && status == 429) {
            // Before the type checks: stripe-java's RateLimitException is an InvalidRequestException.
            return ApplicationFailure.newFailureWithCause(detail, STRIPE_UNAVAILABLE, e);
        }
        if (e instanceof IdempotencyException && status != null && status == 409) {
            // The first request with this key is still running at Stripe; nothing is stored, the retry replays it.
            return ApplicationFailure.newFailureWithCause(detail, STRIPE_UNAVAILABLE, e);
        }
        if (e instanceof IdempotencyException || e instanceof InvalidRequestException) {
            // Our own request is wrong (or the key was reused with other parameters): retrying cannot fix it.
            return ApplicationFailure.newNonRetryableFailureWithCause(detail, PaymentFailures.PAYMENT_INVALID, e);
        }
        if (e instanceof ApiConnectionException || status == null || status == 429 || status >= 500
                || status == 401 || status == 403 || status == 409) {
            // 401/403 is our key or account: retried so a fixed configuration lets the payment through.
            return ApplicationFailure.newFailureWithCause(detail, STRIPE_UNAVAILABLE, e);
        }
        return ApplicationFailure.newNonRetryableFailureWithCause(detail, PaymentFailures.PAYMENT_INVALID, e);
    }

    static String describe(StripeException e) {
        StringBuilder sb = new StringBuilder();
        if (e.getStatusCode() != null) {
            sb.append(e.getStatusCode()).append(' ');
        }
        if (e.getCode() != null) {
            sb.append(e.getCode()).append(' ');
        }
        if (e.getStripeError() != null && e.getStripeError().getDeclineCode() != null) {
            sb.append('(').append(e.getStripeError().getDeclineCode()).append(") ");
        }
        String message = e.getStripeError() != null && e.getStripeError().getMessage() != null
                ? e.getStripeError().getMessage() : e.getMessage();
        return sb.append(message).toString().trim();
    }

    static boolean hasCode(StripeException e, String code) {
        return code.equals(e.getCode());
    }
}
