package com.admintk.orchestrator.localstack;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;

import java.util.List;

/** Starts the Pterodactyl panel simulator of the local stack. */
final class LocalPanel {
    private LocalPanel() {
    }

    /** Returns the panel URL; the simulator is added to {@code closeables} to be stopped on exit. */
    static String start(int port, List<AutoCloseable> closeables) {
        PanelSimulator simulator = new PanelSimulator(PanelSimulatorConfig.defaults(port)).start();
        closeables.add(simulator);
        return simulator.baseUrl();
    }
}
