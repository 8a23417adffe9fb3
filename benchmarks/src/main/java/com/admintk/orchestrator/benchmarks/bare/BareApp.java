package com.admintk.orchestrator.benchmarks.bare;

import io.micronaut.runtime.Micronaut;

import java.util.Map;

/**
 * The baseline of the startup scenario: a Micronaut app on the orchestrator's own Micronaut modules (Netty, management,
 * security with JWT, Micrometer/Prometheus, serde, validation) that connects to the same Temporal, MongoDB and Redis
 * before it is ready, and does nothing else. Started with the orchestrator's dependencies but none of its classes.
 */
public final class BareApp {

    /** Set only in the bare app: the harness JVM runs the orchestrator's context with these classes on its path. */
    static final String MARKER = "bench.bare-app";

    private BareApp() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(BareApp.class).properties(Map.of(
                "micronaut.application.name", "bare",
                MARKER, "true",
                "micronaut.server.port", System.getenv().getOrDefault("PORT", "8080"),
                "micronaut.security.token.jwt.signatures.secret.generator.secret", System.getenv("JWT_SECRET"),
                "endpoints.health.enabled", true,
                "endpoints.health.sensitive", false,
                "endpoints.prometheus.enabled", true,
                "endpoints.prometheus.sensitive", false,
                "micronaut.metrics.enabled", true)).start();
    }
}
