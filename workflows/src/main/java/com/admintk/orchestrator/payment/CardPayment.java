package com.admintk.orchestrator.payment;

/** The provider payment as created: its id ({@code pi_…}), the secret the store's front end confirms it with. */
public record CardPayment(String providerPaymentId, String clientSecret, String status) {
}
