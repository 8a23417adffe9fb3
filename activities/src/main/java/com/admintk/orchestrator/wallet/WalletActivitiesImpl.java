package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.payment.WalletEntry;
import com.admintk.orchestrator.payment.WalletException;
import com.admintk.orchestrator.payment.Wallets;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

/** {@link WalletActivities} on the {@code payments} task queue: one {@link Wallets} call under the caller's key. */
@Singleton
public class WalletActivitiesImpl implements WalletActivities {

    private final Wallets wallets;

    public WalletActivitiesImpl(Wallets wallets) {
        this.wallets = wallets;
    }

    @Override
    public WalletCredit credit(String ledgerKey, String customerId, long coins, String reason) {
        try {
            WalletEntry entry = wallets.credit(ledgerKey, customerId, coins, reason);
            return new WalletCredit(entry.key(), entry.coins(), entry.balanceAfter());
        } catch (WalletException refused) {
            throw ApplicationFailure.newNonRetryableFailure(refused.getMessage(), refused.code());
        }
    }
}
