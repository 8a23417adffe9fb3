package com.admintk.orchestrator.pterodactyl;

import java.util.Map;

/** What a server create takes from its egg: the default image and startup, and the checked environment. */
public record ResolvedEgg(String dockerImage, String startup, Map<String, String> environment) {
}
