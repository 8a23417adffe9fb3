package com.admintk.orchestrator.reconciliation;

/** The ways the panel and the store can disagree about a server. */
public enum DriftKind {
    /** On the panel with no live server record (never sold, released, or terminated in the store). */
    ORPHAN,
    /** A live server record whose external_id no panel server has. */
    MISSING_FROM_PANEL,
    /** The panel's suspension differs from the store's status (SUSPENDED versus ACTIVE or PAST_DUE). */
    SUSPENSION_MISMATCH,
    /** The panel's build (limits, feature limits) differs from the plan the store says the server has. */
    LIMIT_MISMATCH,
    /** Installing on the panel for longer than the policy allows. */
    STUCK_INSTALLING
}
