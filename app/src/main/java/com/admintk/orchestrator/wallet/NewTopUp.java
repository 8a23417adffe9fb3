package com.admintk.orchestrator.wallet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code POST /api/v1/wallet/top-ups}: how many TK-Coins to buy (bounds from {@link TopUpSettings}). */
@Serdeable
public record NewTopUp(@Nullable Long coins) {
}
