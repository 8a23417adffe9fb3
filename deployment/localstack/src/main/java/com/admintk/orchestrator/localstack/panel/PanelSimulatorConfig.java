package com.admintk.orchestrator.localstack.panel;

import java.time.Duration;
import java.util.Objects;

/**
 * Start-up configuration of the {@link PanelSimulator}. Install time, rate limits and the websocket timings can
 * also be changed while running ({@link PanelSimulator#settings()} or {@code PUT /_sim/config}).
 *
 * @param port                       TCP port; 0 picks a free one
 * @param applicationKey             bearer key of the application API (admin user)
 * @param clientKey                  bearer key of the client API (same admin user)
 * @param installTime                how long a server stays {@code installing}
 * @param rateLimitPerMinute         application API requests per minute per panel user (panel: 240)
 * @param clientRateLimitPerMinute   client API requests per minute per panel user (panel: 720)
 * @param statsInterval              how often the Wings websocket sends {@code stats}
 * @param tokenLifetime              lifetime of websocket JWTs (panel: 10 minutes)
 * @param tokenExpiringWarning       {@code token expiring} is sent when at most this much lifetime is left (Wings: 60 s)
 * @param publicUrl                  the panel URL (also the only accepted websocket Origin); null = http://localhost:&lt;port&gt;
 * @param powerTransition            how long {@code starting}/{@code stopping} last
 * @param randomSeed                 seed for fault probabilities and placement (reproducible runs)
 */
public record PanelSimulatorConfig(
        int port,
        String applicationKey,
        String clientKey,
        Duration installTime,
        int rateLimitPerMinute,
        int clientRateLimitPerMinute,
        Duration statsInterval,
        Duration tokenLifetime,
        Duration tokenExpiringWarning,
        String publicUrl,
        Duration powerTransition,
        long randomSeed) {

    public static final String DEFAULT_APPLICATION_KEY = "ptla_demo";
    public static final String DEFAULT_CLIENT_KEY = "ptlc_demo";

    public PanelSimulatorConfig {
        Objects.requireNonNull(applicationKey, "applicationKey");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(installTime, "installTime");
        Objects.requireNonNull(statsInterval, "statsInterval");
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        Objects.requireNonNull(tokenExpiringWarning, "tokenExpiringWarning");
        Objects.requireNonNull(powerTransition, "powerTransition");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        if (rateLimitPerMinute <= 0 || clientRateLimitPerMinute <= 0) throw new IllegalArgumentException("rate limits must be > 0");
    }

    /** Defaults of the local stack (keys ptla_demo/ptlc_demo, 3 s installs, 240/720 per minute, stats every 2 s). */
    public static PanelSimulatorConfig defaults(int port) {
        return builder().port(port).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port; b.applicationKey = applicationKey; b.clientKey = clientKey; b.installTime = installTime;
        b.rateLimitPerMinute = rateLimitPerMinute; b.clientRateLimitPerMinute = clientRateLimitPerMinute;
        b.statsInterval = statsInterval; b.tokenLifetime = tokenLifetime; b.tokenExpiringWarning = tokenExpiringWarning;
        b.publicUrl = publicUrl; b.powerTransition = powerTransition; b.randomSeed = randomSeed;
        return b;
    }

    public static final class Builder {
        private int port = 0;
        private String applicationKey = DEFAULT_APPLICATION_KEY;
        private String clientKey = DEFAULT_CLIENT_KEY;
        private Duration installTime = Duration.ofSeconds(3);
        private int rateLimitPerMinute = 240;
        private int clientRateLimitPerMinute = 720;
        private Duration statsInterval = Duration.ofSeconds(2);
        private Duration tokenLifetime = Duration.ofMinutes(10);
        private Duration tokenExpiringWarning = Duration.ofSeconds(60);
        private String publicUrl = null;
        private Duration powerTransition = Duration.ofMillis(300);
        private long randomSeed = System.nanoTime();

        public Builder port(int v) { port = v; return this; }
        public Builder applicationKey(String v) { applicationKey = v; return this; }
        public Builder clientKey(String v) { clientKey = v; return this; }
        public Builder installTime(Duration v) { installTime = v; return this; }
        public Builder rateLimitPerMinute(int v) { rateLimitPerMinute = v; return this; }
        public Builder clientRateLimitPerMinute(int v) { clientRateLimitPerMinute = v; return this; }
        public Builder statsInterval(Duration v) { statsInterval = v; return this; }
        public Builder tokenLifetime(Duration v) { tokenLifetime = v; return this; }
        public Builder tokenExpiringWarning(Duration v) { tokenExpiringWarning = v; return this; }
        public Builder publicUrl(String v) { publicUrl = v; return this; }
        public Builder powerTransition(Duration v) { powerTransition = v; return this; }
        public Builder randomSeed(long v) { randomSeed = v; return this; }

        public PanelSimulatorConfig build() {
            return new PanelSimulatorConfig(port, applicationKey, clientKey, installTime, rateLimitPerMinute,
                    clientRateLimitPerMinute, statsInterval, tokenLifetime, tokenExpiringWarning, publicUrl,
                    powerTransition, randomSeed);
        }
    }
}
