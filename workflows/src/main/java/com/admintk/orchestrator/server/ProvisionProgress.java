package com.admintk.orchestrator.server;

/**
 * One step event of {@link ProvisionServerWorkflow}, in the child's workflow time. {@code step} is one of the
 * {@code STEP_*} names; {@code attempts} is the install poll count of an {@link Kind#ATTEMPTS} event; {@code error}
 * the failure's reason (FAILED, ATTEMPTS after a failed probe, UNDO_GAVE_UP).
 */
public record ProvisionProgress(String step, Kind kind, long at, int attempts, String error) {

    public enum Kind {
        STARTED,
        ATTEMPTS,
        DONE,
        FAILED,
        /** The provisioning failed or was cancelled and the child now deletes the server it made. */
        UNDOING,
        /** The server this step made was deleted again. */
        COMPENSATED,
        /** The delete of the server used up its retry window: the panel server may remain. */
        UNDO_GAVE_UP
    }
}
