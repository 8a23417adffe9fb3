package com.admintk.orchestrator.pterodactyl;

import java.util.List;

/**
 * {@code ApplicationFailure} types raised by {@link PterodactylActivities}, so workflows can tell them apart. The
 * activities never mark a failure non-retryable themselves: whether a type is worth another attempt depends on the
 * step, so each step's retry options decide ({@code StepOptions}), from the lists below.
 */
public final class PanelFailures {
    /** 422 from the panel: the request is invalid (egg variable, allocation taken...). */
    public static final String VALIDATION = "PanelValidation";
    /**
     * 422 on {@code allocation.default} or {@code allocation.additional.N} from a create: an allocation it named is
     * taken (or gone). Raised by the create only; the saga of a several-port server picks free allocations again.
     */
    public static final String ALLOCATION_TAKEN = "PanelAllocationTaken";
    /** 400 NoViableNode / NoViableAllocation: no room to deploy. */
    public static final String NO_CAPACITY = "NoCapacity";
    /** 404. */
    public static final String NOT_FOUND = "PanelNotFound";
    /** 409: the server is in a state that forbids the call (installing, suspended...). */
    public static final String STATE_CONFLICT = "PanelStateConflict";
    /** 429, 5xx, timeouts, resets. */
    public static final String UNAVAILABLE = "PanelUnavailable";
    /**
     * 502/504 from a delete: Wings on the server's node cannot be reached. Raised only by the termination's normal
     * delete, whose workflow decides by time when the node counts as dead.
     */
    public static final String NODE_UNREACHABLE = "PanelNodeUnreachable";
    /** 401/403: our key is wrong or was rotated. An operator must fix configuration. */
    public static final String ACCESS_DENIED = "PanelAccessDenied";

    /**
     * Final for the forward steps of a saga (create, read, probe): no retry can fix them soon enough for a customer
     * waiting on a checkout, so the step fails at once and the saga undoes. The one list every forward step uses.
     */
    public static final List<String> FINAL_FOR_FORWARD_STEPS = List.of(VALIDATION, ALLOCATION_TAKEN, NO_CAPACITY,
            NOT_FOUND, ACCESS_DENIED);

    /**
     * Final for an undo, because they prove there is nothing left to undo. Anything else, a revoked key included,
     * is retried for hours: an operator can fix a key, nobody can un-orphan a server that the saga gave up on.
     */
    public static final List<String> NOTHING_TO_UNDO = List.of(NOT_FOUND);

    /**
     * Final for a lifecycle action (suspend, unsuspend, terminate): the server is gone, or the node is unreachable
     * (the termination workflow handles that itself). Anything else retries for hours, like an undo: an operator can
     * fix a key, and a suspension for non-payment must eventually happen.
     */
    public static final List<String> FINAL_FOR_LIFECYCLE_ACTIONS = List.of(NOT_FOUND, NODE_UNREACHABLE);

    private PanelFailures() {
    }
}
