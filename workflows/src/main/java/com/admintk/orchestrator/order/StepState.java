package com.admintk.orchestrator.order;

public enum StepState {
    PENDING,
    RUNNING,
    DONE,
    FAILED,
    /** Done, then undone by the saga's compensation. */
    COMPENSATED,
    /** Never ran because the saga ended before it. */
    SKIPPED
}
