package com.admintk.orchestrator.reconciliation;

import java.util.List;

/**
 * The store's side: every server record, and the external ids of orders still provisioning (their server is on
 * the panel before its record exists, so it is not an orphan).
 */
public record StoreInventory(List<StoreServerState> servers, List<String> provisioningExternalIds) {
}
