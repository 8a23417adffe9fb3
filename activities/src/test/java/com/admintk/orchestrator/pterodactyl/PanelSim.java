package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.panel.SimState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Shared helpers for the tests that run the real client against the real {@link PanelSimulator}. */
final class PanelSim {

    private PanelSim() {
    }

    /** A simulator with fast installs and limits high enough not to matter unless a test says so. */
    static PanelSimulator start(Duration installTime) {
        return new PanelSimulator(PanelSimulator.config().port(0).installTime(installTime)
                .rateLimitPerMinute(100_000).clientRateLimitPerMinute(100_000)
                .randomSeed(Long.getLong("panelsim.seed", 42L)).build()).start();
    }

    static PanelSimulator start(PanelSimulatorConfig.Builder config) {
        return new PanelSimulator(config.build()).start();
    }

    static PanelConfiguration configuration(PanelSimulator sim) {
        return PanelConfiguration.of(sim.baseUrl(), sim.configuration().applicationKey(),
                sim.configuration().clientKey());
    }

    static PanelClient client(PanelSimulator sim) {
        return new PanelClient(configuration(sim), PanelRateLimiter.unlimited(), new SimpleMeterRegistry());
    }

    /** Paper (nest 1, egg 3) on a fixed allocation. */
    static ServerSpec paper(String name, Integer allocationId) {
        return new ServerSpec(name, "sim test", 1, 3, "ghcr.io/pterodactyl/yolks:java_21",
                "java -jar {{SERVER_JARFILE}}", Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest"),
                new ServerSpec.Limits(1024, 0, 2048, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), allocationId,
                allocationId == null ? List.of(1, 2) : null, null);
    }

    /** Paper placed by the panel ({@code deploy}) in these locations. */
    static ServerSpec paperDeployed(String name, List<Integer> locations) {
        ServerSpec p = paper(name, null);
        return new ServerSpec(p.name(), p.description(), p.panelUserId(), p.eggId(), p.dockerImage(), p.startup(),
                p.environment(), p.limits(), p.featureLimits(), null, locations, null);
    }

    static long countExternalId(PanelSimulator sim, String externalId) {
        return sim.state().servers().stream().filter(s -> externalId.equals(s.externalId())).count();
    }

    static List<SimState.ServerView> servers(PanelSimulator sim) {
        return sim.state().servers();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
