package com.admintk.orchestrator.server;

/**
 * Why a lifecycle refuses a request (an Update's validator rejects it with an {@code ApplicationFailure} of this
 * type). The API answers each with 409 in its error shape, the type as the code.
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

    private ServerActionRefusals() {
    }
}
