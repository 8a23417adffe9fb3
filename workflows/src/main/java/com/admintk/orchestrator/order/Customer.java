package com.admintk.orchestrator.order;

/** The buyer as the panel user needs it. {@code id} becomes the panel user's external_id. */
public record Customer(String id, String email, String name) {
}
