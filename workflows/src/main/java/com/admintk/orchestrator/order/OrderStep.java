package com.admintk.orchestrator.order;

/** The saga's steps in order; {@link #id()} is the name shown in the timeline and in the SagaStep attribute. */
public enum OrderStep {
    VALIDATE("validate"),
    CHARGE("charge"),
    ENSURE_PANEL_USER("ensurePanelUser"),
    RESOLVE_EGG_VARIABLES("resolveEggVariables"),
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
