package com.admintk.orchestrator.localstack;

import java.util.List;

/** Starts the Pterodactyl panel simulator of the local stack. */
final class LocalPanel {
    private LocalPanel() {
    }

    /** Returns the panel URL; whatever must be stopped on exit is added to {@code closeables}. */
    static String start(int port, List<AutoCloseable> closeables) {
        // Replaced by the full simulator (deployment/localstack .../panel) when it lands.
        return "http://localhost:" + port;
    }
}
