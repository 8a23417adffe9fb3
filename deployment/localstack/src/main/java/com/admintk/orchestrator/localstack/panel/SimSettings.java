package com.admintk.orchestrator.localstack.panel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings that can change while the simulator runs ({@code PUT /_sim/config}). */
public final class SimSettings {
    volatile Duration installTime;
    volatile int applicationRateLimit;
    volatile int clientRateLimit;
    volatile Duration statsInterval;
    volatile Duration tokenLifetime;
    volatile Duration tokenExpiringWarning;
    volatile Duration powerTransition;

    SimSettings(PanelSimulatorConfig c) {
        installTime = c.installTime();
        applicationRateLimit = c.rateLimitPerMinute();
        clientRateLimit = c.clientRateLimitPerMinute();
        statsInterval = c.statsInterval();
        tokenLifetime = c.tokenLifetime();
        tokenExpiringWarning = c.tokenExpiringWarning();
        powerTransition = c.powerTransition();
    }

    public Duration installTime() { return installTime; }
    public int applicationRateLimit() { return applicationRateLimit; }
    public int clientRateLimit() { return clientRateLimit; }
    public Duration statsInterval() { return statsInterval; }
    public Duration tokenLifetime() { return tokenLifetime; }
    public Duration tokenExpiringWarning() { return tokenExpiringWarning; }
    public Duration powerTransition() { return powerTransition; }

    public SimSettings installTime(Duration d) { installTime = d; return this; }
    public SimSettings rateLimits(int application, int client) {
        if (application <= 0 || client <= 0) throw new IllegalArgumentException("rate limits must be > 0");
        applicationRateLimit = application; clientRateLimit = client; return this;
    }
    public SimSettings statsInterval(Duration d) { statsInterval = d; return this; }
    public SimSettings tokenLifetime(Duration d) { tokenLifetime = d; return this; }
    public SimSettings tokenExpiringWarning(Duration d) { tokenExpiringWarning = d; return this; }
    public SimSettings powerTransition(Duration d) { powerTransition = d; return this; }

    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("install_time_ms", installTime.toMillis());
        m.put("rate_limit_application", applicationRateLimit);
        m.put("rate_limit_client", clientRateLimit);
        m.put("stats_interval_ms", statsInterval.toMillis());
        m.put("token_lifetime_ms", tokenLifetime.toMillis());
        m.put("token_expiring_warning_ms", tokenExpiringWarning.toMillis());
        m.put("power_transition_ms", powerTransition.toMillis());
        return m;
    }

    void apply(Map<String, Object> body) {
        if (body.get("install_time_ms") != null) installTime = Duration.ofMillis(num(body.get("install_time_ms")));
        if (body.get("rate_limit_application") != null) applicationRateLimit = (int) num(body.get("rate_limit_application"));
        if (body.get("rate_limit_client") != null) clientRateLimit = (int) num(body.get("rate_limit_client"));
        if (body.get("stats_interval_ms") != null) statsInterval = Duration.ofMillis(num(body.get("stats_interval_ms")));
        if (body.get("token_lifetime_ms") != null) tokenLifetime = Duration.ofMillis(num(body.get("token_lifetime_ms")));
        if (body.get("token_expiring_warning_ms") != null) tokenExpiringWarning = Duration.ofMillis(num(body.get("token_expiring_warning_ms")));
        if (body.get("power_transition_ms") != null) powerTransition = Duration.ofMillis(num(body.get("power_transition_ms")));
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(o.toString());
    }
}
