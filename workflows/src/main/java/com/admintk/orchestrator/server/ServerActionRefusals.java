package com.admintk.orchestrator.server;

/**
 * Why a lifecycle refuses a request (an Update's validator rejects it with an {@code ApplicationFailure} of this
 * type). The API answers each with 409 in its error shape, the type as the code.
 *
 * <p>Read the code with {@link #codeOf}: temporal-sdk 1.35 loses the type of an {@code ApplicationFailure} thrown by
 * a validator (sdk-java#2875), so the validators throw {@link ServerActionRefused}, whose typed
 * {@code ApplicationFailure} reaches the client as the cause of the update's failure.
 */
public final class ServerActionRefusals {

    /** The server is terminated: nothing can be done to it any more. */
    public static final String SERVER_TERMINATED = "SERVER_TERMINATED";
    /** The server is suspended (by an operator, for abuse, or for non-payment where the action needs it active). */
    public static final String SERVER_SUSPENDED = "SERVER_SUSPENDED";
    /** Another change to the panel server is under way (a plan change, a reinstall). */
    public static final String SERVER_BUSY = "SERVER_BUSY";
    /** The requested plan is the server's current plan. */
    public static final String PLAN_UNCHANGED = "PLAN_UNCHANGED";
    /** The request is malformed (no request id, no plan). */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";

    private static final java.util.Set<String> ALL = java.util.Set.of(SERVER_TERMINATED, SERVER_SUSPENDED, SERVER_BUSY,
            PLAN_UNCHANGED, INVALID_REQUEST);

    private ServerActionRefusals() {
    }

    /**
     * The refusal code in a failed update's cause chain (the client's {@code WorkflowUpdateException}), or null when
     * the update failed for another reason.
     */
    public static String codeOf(Throwable updateFailure) {
        for (Throwable t = updateFailure; t != null; t = t.getCause()) {
            if (t instanceof io.temporal.failure.ApplicationFailure af && ALL.contains(af.getType())) {
                return af.getType();
            }
        }
        return null;
    }
}
