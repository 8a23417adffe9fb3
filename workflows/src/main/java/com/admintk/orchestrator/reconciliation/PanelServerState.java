package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.ServerSpec;

/**
 * What reconciliation needs of one panel server.
 *
 * @param status          the panel's status: null when installed and running normally, {@code installing},
 *                        {@code install_failed}, {@code suspended}...
 * @param createdAtMillis when the panel created it, 0 when the panel did not say
 */
public record PanelServerState(int panelServerId,
                               String externalId,
                               String status,
                               boolean suspended,
                               ServerSpec.Limits limits,
                               ServerSpec.FeatureLimits featureLimits,
                               int allocationId,
                               long createdAtMillis) {

    public boolean installing() {
        return "installing".equals(status);
    }
}
