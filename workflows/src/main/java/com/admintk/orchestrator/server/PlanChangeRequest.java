package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.PlanSnapshot;

/**
 * An upgrade or downgrade to {@code plan}, frozen from the catalog by the API. The lifecycle prorates the price
 * difference over what is left of the paid period: it charges an upgrade, and credits a downgrade to the TK-Coins
 * wallet. {@code requestId} dedupes as in {@link ServerActionRequest}.
 */
public record PlanChangeRequest(String requestId, String actor, PlanSnapshot plan) {
}
