package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.identity.UserService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/** The demo customer's 10,000 TK-Coins (DESIGN.md local-stack conventions). Idempotent: only a new wallet gets them. */
@Singleton
@Requires(condition = DemoAccounts.Seeds.class)
public class DemoWallet {

    public static final long DEMO_COINS = 10_000;

    private final DemoAccounts accounts;
    private final UserService users;
    private final Wallets wallets;

    public DemoWallet(DemoAccounts accounts, UserService users, Wallets wallets) {
        this.accounts = accounts;
        this.users = users;
        this.wallets = wallets;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        seed();
    }

    public void seed() {
        accounts.seed();
        users.findByEmail(DemoAccounts.DEMO_EMAIL).ifPresent(demo -> wallets.ensureWallet(demo.id(), DEMO_COINS));
    }
}
