package com.admintk.orchestrator.pterodactyl;

/**
 * The panel's view of one server. {@code status} is the panel's raw status: {@code installing}, {@code null}
 * (installed), {@code install_failed}, {@code reinstall_failed}, {@code suspended}, {@code restoring_backup}.
 */
public record PanelServerRef(int id, String externalId, String uuid, String identifier, String status,
                             boolean suspended, int node) {

    public boolean installing() {
        return "installing".equals(status);
    }

    public boolean installFailed() {
        return "install_failed".equals(status) || "reinstall_failed".equals(status);
    }

    public boolean installed() {
        return !installing() && !installFailed() && !"restoring_backup".equals(status);
    }
}
