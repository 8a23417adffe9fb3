package com.admintk.orchestrator.server;

import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRef;

/** Result of {@link ProvisionServerWorkflow}: the panel user that owns the server, and the installed server. */
public record ProvisionedServer(PanelUserRef panelUser, PanelServerRef server) {
}
