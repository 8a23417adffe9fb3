package com.admintk.orchestrator.payment;

/** How the customer pays. The JSON names of the HTTP API are {@code tkcoins} and {@code card}. */
public enum PaymentMethod {
    TKCOINS,
    CARD;

    public static PaymentMethod fromApiName(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "tkcoins" -> TKCOINS;
            case "card" -> CARD;
            default -> throw new IllegalArgumentException("unknown payment method: " + name);
        };
    }

    public String apiName() {
        return this == TKCOINS ? "tkcoins" : "card";
    }
}
