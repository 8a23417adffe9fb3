package com.admintk.orchestrator.server;

import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRef;

import java.util.List;

/**
 * Result of {@link ProvisionServerWorkflow}: the panel user that owns the server, the installed server, and the step
 * events not yet sent to the listener (null from runs before change {@code progress-batches}).
 */
public record ProvisionedServer(PanelUserRef panelUser, PanelServerRef server, List<ProvisionProgress> progress) {
}
