package com.admintk.orchestrator.reconciliation;

import java.util.List;

/** Every server on the panel, and when the list was read (store records made after it are not yet "missing"). */
public record PanelInventory(long takenAtMillis, List<PanelServerState> servers) {
}
