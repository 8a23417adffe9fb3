package com.admintk.orchestrator.reliability;

/** One broken promise: which invariant ({@code kind}), about what ({@code subject}: an order, server, wallet…), and how. */
public record Violation(String kind, String subject, String detail) {

    public static final String LOST_ORDER = "LOST_ORDER";
    public static final String ORDER_NOT_RECORDED = "ORDER_NOT_RECORDED";
    public static final String ORDER_NOT_TERMINAL = "ORDER_NOT_TERMINAL";
    public static final String ACTIVE_WITHOUT_ONE_SERVER = "ACTIVE_WITHOUT_ONE_SERVER";
    public static final String ORPHAN_SERVER = "ORPHAN_SERVER";
    public static final String CHARGED_TWICE = "CHARGED_TWICE";
    public static final String ACTIVE_NOT_CHARGED = "ACTIVE_NOT_CHARGED";
    public static final String REFUNDED_TWICE = "REFUNDED_TWICE";
    public static final String CHARGE_NOT_REFUNDED = "CHARGE_NOT_REFUNDED";
    public static final String COMPENSATION_FAILED = "COMPENSATION_FAILED";
    public static final String WALLET_LEDGER_MISMATCH = "WALLET_LEDGER_MISMATCH";
    public static final String STUCK_WORKFLOW = "STUCK_WORKFLOW";
    public static final String PANEL_STATE_MISMATCH = "PANEL_STATE_MISMATCH";
    public static final String PANEL_LIMITS_MISMATCH = "PANEL_LIMITS_MISMATCH";
    public static final String RESERVATION_LEAK = "RESERVATION_LEAK";

    @Override
    public String toString() {
        return kind + " " + subject + ": " + detail;
    }
}
