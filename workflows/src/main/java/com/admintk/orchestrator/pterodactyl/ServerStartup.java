package com.admintk.orchestrator.pterodactyl;

import java.util.Map;

/** A server's startup on the panel: the egg it runs, its image, startup command and variables. */
public record ServerStartup(int eggId, String dockerImage, String startup, Map<String, String> environment) {
}
