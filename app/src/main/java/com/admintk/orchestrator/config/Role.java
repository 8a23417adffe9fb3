package com.admintk.orchestrator.config;

import java.util.Locale;

/** The process role, from {@code orchestrator.role} ({@code ORCHESTRATOR_ROLE}). One jar, three roles. */
public enum Role {
    /** HTTP and WebSockets. Starts, signals and queries workflows; never runs them. */
    API,
    /** Temporal workers for the configured task queues. Only health and metrics over HTTP. */
    WORKER,
    /** Both, for the embedded local stack. */
    DEV;

    public static final String PROPERTY = "orchestrator.role";

    public boolean servesApi() {
        return this != WORKER;
    }

    public boolean runsWorkers() {
        return this != API;
    }

    public static Role parse(String value) {
        return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
