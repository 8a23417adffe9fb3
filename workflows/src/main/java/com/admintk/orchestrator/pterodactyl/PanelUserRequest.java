package com.admintk.orchestrator.pterodactyl;

/** A panel user for a customer: external_id is the customer id. */
public record PanelUserRequest(String customerId, String email, String username, String firstName, String lastName) {
}
