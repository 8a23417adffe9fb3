package com.admintk.orchestrator.server;

import com.admintk.orchestrator.pterodactyl.ServerBuild;

/**
 * Result of {@link ChangeServerBuildWorkflow}: the build before and after, whether the egg (startup) changed too,
 * and the money moved: the payment charged ({@code paymentId} null when nothing was charged) or the coins credited.
 */
public record ServerBuildChanged(ServerBuild previous,
                                 ServerBuild applied,
                                 boolean startupChanged,
                                 String paymentId,
                                 long chargedCoins,
                                 long chargedAmountMinor,
                                 long creditedCoins) {
}
