package com.admintk.orchestrator.pterodactyl;

/** {@code ApplicationFailure} types raised by {@link PterodactylActivities}, so workflows can tell them apart. */
public final class PanelFailures {
    /** 422 from the panel: the request is invalid (egg variable, allocation taken...). Non-retryable. */
    public static final String VALIDATION = "PanelValidation";
    /** 400 NoViableNode / NoViableAllocation: no room to deploy. Non-retryable. */
    public static final String NO_CAPACITY = "NoCapacity";
    /** 404. Non-retryable. */
    public static final String NOT_FOUND = "PanelNotFound";
    /** 409: the server is in a state that forbids the call (installing, suspended...). */
    public static final String STATE_CONFLICT = "PanelStateConflict";
    /** 429, 5xx, timeouts, resets. Retryable. */
    public static final String UNAVAILABLE = "PanelUnavailable";
    /** 401/403: our key is wrong. Non-retryable: an operator must fix configuration. */
    public static final String ACCESS_DENIED = "PanelAccessDenied";

    private PanelFailures() {
    }
}
