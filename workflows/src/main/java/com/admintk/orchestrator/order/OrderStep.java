package com.admintk.orchestrator.order;

/**
 * The saga's steps in order; {@link #id()} is the name shown in the timeline and in the SagaStep attribute. Runs
 * older than the egg-before-charge change resolved the egg variables after ensurePanelUser; their timelines list
 * the steps in this order too.
 */
public enum OrderStep {
    VALIDATE("validate"),
    RESOLVE_EGG_VARIABLES("resolveEggVariables"),
    CHARGE("charge"),
    ENSURE_PANEL_USER("ensurePanelUser"),
    CREATE_SERVER("createServer"),
    AWAIT_INSTALLED("awaitInstalled"),
    RECORD_SERVER("recordServer"),
    NOTIFY("notify"),
    START_LIFECYCLE("startLifecycle");

    private final String id;

    OrderStep(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
