package com.admintk.orchestrator.localstack.panel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Settings that can change while the simulator runs ({@code PUT /_sim/config}). */
public final class SimSettings {
    volatile Duration installTime;
    volatile int applicationRateLimit;
    volatile int clientRateLimit;
    /** Length of the fixed rate-limit window; the panel's is 60 s (the limits are "per minute"). */
    volatile Duration rateLimitWindow = Duration.ofSeconds(60);
    volatile Duration statsInterval;
    volatile Duration tokenLifetime;
    volatile Duration tokenExpiringWarning;
    volatile Duration powerTransition;
    /** The application key was revoked (an operator rotated it): every application call answers 401 until restored. */
    volatile boolean applicationKeyRevoked;

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
    public Duration rateLimitWindow() { return rateLimitWindow; }
    public Duration statsInterval() { return statsInterval; }
    public Duration tokenLifetime() { return tokenLifetime; }
    public Duration tokenExpiringWarning() { return tokenExpiringWarning; }
    public Duration powerTransition() { return powerTransition; }
    public boolean applicationKeyRevoked() { return applicationKeyRevoked; }

    public SimSettings installTime(Duration d) { installTime = d; return this; }
    public SimSettings rateLimits(int application, int client) {
        if (application <= 0 || client <= 0) throw new IllegalArgumentException("rate limits must be > 0");
        applicationRateLimit = application; clientRateLimit = client; return this;
    }
    /**
     * Shortens (or restores) the fixed window the rate limits count in, so a test can see a limit hit and reset in
     * seconds: {@code rateLimits(8, 720).rateLimitWindow(2 s)} = 8 application calls per 2 s window. Default 60 s.
     */
    public SimSettings rateLimitWindow(Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("window must be > 0");
        rateLimitWindow = d; return this;
    }
    public SimSettings statsInterval(Duration d) { statsInterval = d; return this; }
    public SimSettings tokenLifetime(Duration d) { tokenLifetime = d; return this; }
    public SimSettings tokenExpiringWarning(Duration d) { tokenExpiringWarning = d; return this; }
    public SimSettings powerTransition(Duration d) { powerTransition = d; return this; }
    /** Revokes ({@code true}) or restores the application key at runtime, as a key rotation on a real panel. */
    public SimSettings applicationKeyRevoked(boolean revoked) { applicationKeyRevoked = revoked; return this; }

    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("install_time_ms", installTime.toMillis());
        m.put("rate_limit_application", applicationRateLimit);
        m.put("rate_limit_client", clientRateLimit);
        m.put("rate_limit_window_ms", rateLimitWindow.toMillis());
        m.put("stats_interval_ms", statsInterval.toMillis());
        m.put("token_lifetime_ms", tokenLifetime.toMillis());
        m.put("token_expiring_warning_ms", tokenExpiringWarning.toMillis());
        m.put("power_transition_ms", powerTransition.toMillis());
        m.put("application_key_revoked", applicationKeyRevoked);
        return m;
    }

    void apply(Map<String, Object> body) {
        if (body.get("install_time_ms") != null) installTime = Duration.ofMillis(num(body.get("install_time_ms")));
        if (body.get("rate_limit_application") != null) applicationRateLimit = (int) num(body.get("rate_limit_application"));
        if (body.get("rate_limit_client") != null) clientRateLimit = (int) num(body.get("rate_limit_client"));
        if (body.get("rate_limit_window_ms") != null) rateLimitWindow = Duration.ofMillis(num(body.get("rate_limit_window_ms")));
        if (body.get("stats_interval_ms") != null) statsInterval = Duration.ofMillis(num(body.get("stats_interval_ms")));
        if (body.get("token_lifetime_ms") != null) tokenLifetime = Duration.ofMillis(num(body.get("token_lifetime_ms")));
        if (body.get("token_expiring_warning_ms") != null) tokenExpiringWarning = Duration.ofMillis(num(body.get("token_expiring_warning_ms")));
        if (body.get("power_transition_ms") != null) powerTransition = Duration.ofMillis(num(body.get("power_transition_ms")));
        if (body.get("application_key_revoked") != null) applicationKeyRevoked = Boolean.parseBoolean(body.get("application_key_revoked").toString());
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(o.toString());
    }
}
