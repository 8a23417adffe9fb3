package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.identity.TotpService;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.payment.DemoWallet;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.plan.DemoPlans;
import com.admintk.orchestrator.plan.PlanCatalog;
import io.micronaut.context.ApplicationContext;

/**
 * The local stack's demo accounts, plans and wallet, put into an app that is not in role dev. The app itself never
 * seeds outside dev (the passwords are published), so tests of the api role seed through the same code by hand.
 */
public final class DemoData {

    public static final String PASSWORD = "demo-password";
    public static final String STORE_KEY = "store-demo-key";

    private DemoData() {
    }

    public static void seed(ApplicationContext context) {
        seed(context, STORE_KEY);
    }

    public static void seed(ApplicationContext context, String storeKey) {
        UserService users = context.getBean(UserService.class);
        DemoAccounts accounts = new DemoAccounts(users, context.getBean(TotpService.class), PASSWORD, storeKey,
                DemoAccounts.DEFAULT_TOTP_SECRET);
        accounts.seed();
        new DemoPlans(context.getBean(PlanCatalog.class), context.getProvider(PanelRegions.class)).seed();
        new DemoWallet(accounts, users, context.getBean(Wallets.class)).seed();
    }
}
