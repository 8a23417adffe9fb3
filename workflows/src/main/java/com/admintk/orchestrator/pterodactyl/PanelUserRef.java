package com.admintk.orchestrator.pterodactyl;

public record PanelUserRef(int id, String externalId, String email) {
}
