package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.pterodactyl.PanelRegions;
import io.micronaut.context.BeanProvider;
import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.PlanPorts;
import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plans of the local stack, matching the panel simulator's eggs (Paper = nest 1 egg 3, Rust = nest 4 egg 14,
 * four allocations whose ports fill its port variables)
 * and locations (1 Frankfurt, 2 New York). Saved on every start: idempotent. Each carries a snapshot of its egg's
 * variables and rules as the simulator seeds them, so checkout refuses bad game settings before any money moves.
 */
@Singleton
@Requires(condition = DemoAccounts.Seeds.class)
public class DemoPlans {

    private static final Logger LOG = LoggerFactory.getLogger(DemoPlans.class);
    private static final String PAPER_STARTUP =
            "java -Xms128M -XX:MaxRAMPercentage=95.0 -Dterminal.jline=false -Dterminal.ansi=true -jar {{SERVER_JARFILE}}";

    private static final String RUST_EGG_STARTUP = "./RustDedicated -batchmode +server.port {{SERVER_PORT}}"
            + " +server.queryport {{QUERY_PORT}} +server.identity \"rust\" +rcon.port {{RCON_PORT}} +rcon.web true"
            + " +server.hostname \\\"{{HOSTNAME}}\\\" +server.level \\\"{{LEVEL}}\\\" +server.maxplayers {{MAX_PLAYERS}}"
            + " +rcon.password \\\"{{RCON_PASS}}\\\" +server.saveinterval {{SAVEINTERVAL}} +app.port {{APP_PORT}}"
            + " {{ADDITIONAL_ARGS}}";

    /** The game port is the default allocation; Rust's query, RCON and Rust+ app ports take the three others. */
    static final PlanPorts RUST_PORTS = new PlanPorts(4, Map.of("QUERY_PORT", 1, "RCON_PORT", 2, "APP_PORT", 3));

    public static final List<Plan> PLANS = List.of(
            paper("paper-2g", "Paper 2 GB", 2048, 10_240, 200, 500, 499),
            paper("paper-8g", "Paper 8 GB", 8192, 30_720, 400, 1500, 1499),
            new Plan("rust-standard", "Rust Standard", "A vanilla Rust server", 4, 14, "ghcr.io/pterodactyl/games:rust",
                    "./RustDedicated -batchmode +server.port {{SERVER_PORT}} +server.queryport {{QUERY_PORT}}"
                            + " +rcon.port {{RCON_PORT}} +server.hostname \\\"{{HOSTNAME}}\\\" +server.maxplayers {{MAX_PLAYERS}}"
                            + " +rcon.password \\\"{{RCON_PASS}}\\\" +app.port {{APP_PORT}}",
                    Map.of("RCON_PASS", "ChangeMe-Rcon"), new ServerSpec.Limits(8192, 0, 30_720, 500, 400),
                    new ServerSpec.FeatureLimits(0, 4, 2), List.of(1, 2), List.of("28015-28054"), 2000, 1999, "eur",
                    BillingCycle.MONTHLY, true, Set.of("RCON_PASS"), rustEgg(), RUST_PORTS));

    private final PlanCatalog catalog;
    private final BeanProvider<PanelRegions> regions;

    public DemoPlans(PlanCatalog catalog, BeanProvider<PanelRegions> regions) {
        this.catalog = catalog;
        this.regions = regions;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        seed();
    }

    /** Sold in every configured region: the local stack's second simulator seeds the same eggs. */
    public void seed() {
        List<String> everywhere = regions.isPresent() ? List.copyOf(regions.get().names()) : null;
        PLANS.forEach(plan -> catalog.save(plan.soldIn(everywhere)));
        LOG.info("Demo plans: {}", PLANS.stream().map(Plan::id).toList());
    }

    private static Plan paper(String id, String name, int memory, int disk, int cpu, long coins, long cents) {
        return new Plan(id, name, "A Paper Minecraft server", 1, 3, "ghcr.io/pterodactyl/yolks:java_21", PAPER_STARTUP,
                Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest", "MINECRAFT_VERSION", "latest"),
                new ServerSpec.Limits(memory, 0, disk, 500, cpu), new ServerSpec.FeatureLimits(1, 1, 2),
                List.of(1, 2), List.of("25565-25624"), coins, cents, "eur", BillingCycle.MONTHLY, true, Set.of(), paperEgg(), null);
    }

    static EggSpec paperEgg() {
        return new EggSpec(3, 1, "Paper", "ghcr.io/pterodactyl/yolks:java_21", PAPER_STARTUP, List.of(
                variable("MINECRAFT_VERSION", "latest", "nullable|string|max:20", true, true),
                variable("SERVER_JARFILE", "server.jar", "required|regex:/^([\\w\\d._-]+)(\\.jar)$/", true, true),
                variable("DL_PATH", "", "nullable|string", false, false),
                variable("BUILD_NUMBER", "latest", "required|string|max:20", true, true)));
    }

    static EggSpec rustEgg() {
        return new EggSpec(14, 4, "Rust", "ghcr.io/pterodactyl/games:rust", RUST_EGG_STARTUP, List.of(
                variable("HOSTNAME", "A Rust Server", "required|string|max:60", true, true),
                variable("FRAMEWORK", "vanilla", "required|in:vanilla,oxide,carbon", true, true),
                variable("LEVEL", "Procedural Map", "required|in:Barren,Craggy Island,Hapis,Hapis Island,"
                        + "Procedural Map,Savas Island,Savas Island_koth", true, true),
                variable("DESCRIPTION", "Powered by Pterodactyl", "required|string", true, true),
                variable("SERVER_URL", "http://pterodactyl.io", "nullable|url", true, true),
                variable("WORLD_SIZE", "3000", "required|integer", true, true),
                variable("WORLD_SEED", "", "nullable|string", true, true),
                variable("MAX_PLAYERS", "40", "required|integer", true, true),
                variable("SERVER_IMG", "", "nullable|url", true, true),
                variable("QUERY_PORT", "27017", "required|integer", true, false),
                variable("RCON_PORT", "28016", "required|integer", true, false),
                variable("RCON_PASS", "CHANGEME", "required|regex:/^[\\w.-]*$/|max:64", true, true),
                variable("SAVEINTERVAL", "60", "required|integer", true, true),
                variable("ADDITIONAL_ARGS", "", "nullable|string", true, true),
                variable("APP_PORT", "28082", "required|integer", true, false),
                variable("SERVER_LOGO", "", "nullable|url", true, true),
                variable("MAP_URL", "", "nullable|url", true, true)));
    }

    private static EggSpec.EggVariable variable(String name, String defaultValue, String rules, boolean viewable,
                                                boolean editable) {
        return new EggSpec.EggVariable(name, defaultValue, rules, viewable, editable);
    }
}
