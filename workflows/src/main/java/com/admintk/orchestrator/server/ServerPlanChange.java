package com.admintk.orchestrator.server;

/** What the store's server record learns from a plan change: the plan and the price later renewals charge. */
public record ServerPlanChange(String planId,
                               long priceCoins,
                               long priceAmountMinor,
                               String currency,
                               long atMillis) {
}
