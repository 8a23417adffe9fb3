package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The plans of the local stack, matching the panel simulator's eggs (Paper = nest 1 egg 3, Rust = nest 4 egg 14)
 * and locations (1 Frankfurt, 2 New York). Saved on every start: idempotent.
 */
@Singleton
@Requires(condition = DemoAccounts.Seeds.class)
public class DemoPlans {

    private static final Logger LOG = LoggerFactory.getLogger(DemoPlans.class);
    private static final String PAPER_STARTUP =
            "java -Xms128M -XX:MaxRAMPercentage=95.0 -Dterminal.jline=false -Dterminal.ansi=true -jar {{SERVER_JARFILE}}";

    public static final List<Plan> PLANS = List.of(
            paper("paper-2g", "Paper 2 GB", 2048, 10_240, 200, 500, 499),
            paper("paper-8g", "Paper 8 GB", 8192, 30_720, 400, 1500, 1499),
            new Plan("rust-standard", "Rust Standard", "A vanilla Rust server", 4, 14, "ghcr.io/pterodactyl/games:rust",
                    "./RustDedicated -batchmode +server.port {{SERVER_PORT}} +server.queryport {{QUERY_PORT}}"
                            + " +rcon.port {{RCON_PORT}} +server.hostname \\\"{{HOSTNAME}}\\\" +server.maxplayers {{MAX_PLAYERS}}"
                            + " +rcon.password \\\"{{RCON_PASS}}\\\" +app.port {{APP_PORT}}",
                    Map.of("RCON_PASS", "ChangeMe-Rcon"), new ServerSpec.Limits(8192, 0, 30_720, 500, 400),
                    new ServerSpec.FeatureLimits(0, 2, 2), List.of(1, 2), List.of("28015-28054"), 2000, 1999, "eur",
                    BillingCycle.MONTHLY, true));

    private final PlanCatalog catalog;

    public DemoPlans(PlanCatalog catalog) {
        this.catalog = catalog;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        PLANS.forEach(catalog::save);
        LOG.info("Demo plans: {}", PLANS.stream().map(Plan::id).toList());
    }

    private static Plan paper(String id, String name, int memory, int disk, int cpu, long coins, long cents) {
        return new Plan(id, name, "A Paper Minecraft server", 1, 3, "ghcr.io/pterodactyl/yolks:java_21", PAPER_STARTUP,
                Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest", "MINECRAFT_VERSION", "latest"),
                new ServerSpec.Limits(memory, 0, disk, 500, cpu), new ServerSpec.FeatureLimits(1, 1, 2),
                List.of(1, 2), List.of("25565-25624"), coins, cents, "eur", BillingCycle.MONTHLY, true);
    }
}
