package com.admintk.orchestrator.order;

/**
 * The saga's steps in order; {@link #id()} is the name shown in the timeline and in the SagaStep attribute. Runs
 * older than the egg-before-charge change resolved the egg variables after ensurePanelUser; their timelines list
 * the steps in this order too. An {@link #optional()} step is listed only in the timelines of orders that took it.
 */
public enum OrderStep {
    VALIDATE("validate"),
    RESOLVE_EGG_VARIABLES("resolveEggVariables"),
    CHARGE("charge"),
    /** Only for an order that asked to wait for capacity and was refused by the panel after the charge. */
    WAIT_FOR_CAPACITY("waitForCapacity", true),
    ENSURE_PANEL_USER("ensurePanelUser"),
    CREATE_SERVER("createServer"),
    AWAIT_INSTALLED("awaitInstalled"),
    RECORD_SERVER("recordServer"),
    NOTIFY("notify"),
    START_LIFECYCLE("startLifecycle");

    private final String id;
    private final boolean optional;

    OrderStep(String id) {
        this(id, false);
    }

    OrderStep(String id, boolean optional) {
        this.id = id;
        this.optional = optional;
    }

    public boolean optional() {
        return optional;
    }

    public String id() {
        return id;
    }
}
