package com.admintk.orchestrator.wallet;

import jakarta.inject.Singleton;

/** Thin adapter from the top-up's record steps to {@link TopUpStore}. */
@Singleton
public class TopUpActivitiesImpl implements TopUpActivities {

    private final TopUpStore topUps;

    public TopUpActivitiesImpl(TopUpStore topUps) {
        this.topUps = topUps;
    }

    @Override
    public void markTopUpCredited(String topUpId, String providerPaymentId, String ledgerKey, long balanceAfter) {
        topUps.markCredited(topUpId, providerPaymentId, ledgerKey);
    }

    @Override
    public void markTopUpFailed(String topUpId, String providerPaymentId, String reasonCode, String reason) {
        topUps.markFailed(topUpId, providerPaymentId, reasonCode, reason);
    }
}
