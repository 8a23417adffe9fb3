package com.admintk.orchestrator.live;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.pterodactyl.PanelException;
import com.admintk.orchestrator.pterodactyl.PanelRegions;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The panel as live server operations see it: its client API behind a circuit breaker (resilience4j), with a
 * timeout sized for a person waiting rather than for a create waiting on Wings.
 *
 * <p>Only unavailability counts against the panel: 5xx, timeouts, resets and 429s. An answer such as 404, 409 or 422
 * proves the panel is up, and "server must be online" (a 502 from Wings about one game server) says nothing about the
 * panel either. When the breaker is open every call is refused here with 503 {@code PANEL_UNAVAILABLE} and a
 * {@code Retry-After}, without a request to the panel: while it is down, API threads answer at once instead of each
 * waiting out a timeout. The global panel rate limit still applies to every call that is let through; a refusal by
 * that bucket is our own budget, not the panel failing, so the breaker ignores it.
 *
 * <p>Each region (panel) has its own client and its own breaker, so one region's outage never refuses calls to
 * another: the default region's breaker is named {@code panel}, another region's {@code panel-<region>}.
 *
 * <p>Metrics: {@code resilience4j_circuitbreaker_state{name="panel",state=...}} (1 for the current state) and the
 * other {@code resilience4j_circuitbreaker_*} meters, one {@code name} per region.
 */
@Context
@Requires(condition = ServesApi.class)
@Requires(property = "panel.url")
public class LivePanel {

    static final String BREAKER = "panel";
    private static final Logger LOG = LoggerFactory.getLogger(LivePanel.class);

    /** One region's live client and breaker. */
    private static final class RegionPanel {
        final PanelClient panel;
        final CircuitBreaker breaker;
        volatile Instant openedAt = Instant.EPOCH;

        RegionPanel(PanelClient panel, CircuitBreaker breaker) {
            this.panel = panel;
            this.breaker = breaker;
        }
    }

    private final PanelRegions regions;
    private final Map<String, RegionPanel> byRegion = new LinkedHashMap<>();
    private final Duration waitInOpenState;

    public LivePanel(PanelRegions regions, MeterRegistry metrics, LiveSettings live, BreakerSettings settings) {
        this.regions = regions;
        this.waitInOpenState = settings.waitInOpenState();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindow())
                .minimumNumberOfCalls(Math.min(settings.minimumCalls(), settings.slidingWindow()))
                .failureRateThreshold(settings.failureRateThreshold())
                .slowCallDurationThreshold(settings.slowCallThreshold())
                .slowCallRateThreshold(settings.slowCallRateThreshold())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .recordException(LivePanel::panelUnavailable)
                .ignoreException(LivePanel::notSent)
                .build());
        for (PanelRegions.Region region : regions.all()) {
            // Its own client: the same panel, key and fleet-wide rate limit as the region's, with the live timeout.
            PanelClient client = new PanelClient(region.client().configuration().withReadTimeout(live.panelTimeout()),
                    region.limiter(), metrics);
            String name = regions.isDefault(region.name()) ? BREAKER : BREAKER + "-" + region.name();
            RegionPanel panel = new RegionPanel(client, registry.circuitBreaker(name));
            panel.breaker.getEventPublisher().onStateTransition(event -> {
                if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    panel.openedAt = Instant.now();
                }
                float failureRate = panel.breaker.getMetrics().getFailureRate();
                LOG.warn("Panel circuit breaker of region {}: {} (failure rate of the latest calls: {})",
                        region.name(), event.getStateTransition(),
                        failureRate < 0 ? "too few calls yet" : String.format("%.0f%%", failureRate));
            });
            byRegion.put(region.name(), panel);
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(metrics);
    }

    /** The region's live panel; a server in a region that is no longer configured has no live operations. */
    private RegionPanel panel(String region) {
        RegionPanel panel = byRegion.get(regions.nameOf(region));
        if (panel == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "PANEL_NOT_CONFIGURED",
                    "The server's region '" + region + "' is not configured", Map.of("region", region));
        }
        return panel;
    }

    /** Whether the region has a client key: without one no live operation can work there. */
    boolean configured(String region) {
        String key = panel(region).panel.configuration().clientKey();
        return key != null && !key.isBlank();
    }

    /** The region's panel base URL (its Wings sockets' Origin). */
    String panelUrl(String region) {
        return panel(region).panel.configuration().url();
    }

    /**
     * Runs one panel call on the region's panel (null: the default region) through that region's breaker; an open
     * breaker answers 503 without calling.
     */
    <T> T call(String region, Function<PanelClient, T> call) {
        RegionPanel panel = panel(region);
        if (!configured(region)) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "PANEL_NOT_CONFIGURED",
                    "Live server operations are not configured (PANEL_CLIENT_KEY)");
        }
        try {
            return panel.breaker.executeSupplier(() -> call.apply(panel.panel));
        } catch (CallNotPermittedException open) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "PANEL_UNAVAILABLE",
                    "The game panel is unavailable; try again later",
                    Map.of("breaker", panel.breaker.getState().name()),
                    Map.of("Retry-After", Long.toString(retryAfterSeconds(panel))));
        }
    }

    /** The default region's breaker. */
    CircuitBreaker breaker() {
        return breaker(null);
    }

    CircuitBreaker breaker(String region) {
        return panel(region).breaker;
    }

    /** What is left of the open wait, whole seconds, at least 1. */
    private long retryAfterSeconds(RegionPanel panel) {
        Duration left = waitInOpenState.minus(Duration.between(panel.openedAt, Instant.now()));
        return Math.max(1, (left.toMillis() + 999) / 1000);
    }

    /** The panel could not answer: the failures the breaker counts. */
    static boolean panelUnavailable(Throwable failure) {
        return failure instanceof PanelException.Unavailable unavailable && !notSent(unavailable)
                && !serverOffline(unavailable);
    }

    /** Refused by our own rate-limit bucket (or its Redis): nothing went to the panel. */
    static boolean notSent(Throwable failure) {
        return failure instanceof PanelException.Unavailable unavailable
                && unavailable.reason() == PanelException.Unavailable.Reason.RATE_LIMITED
                && unavailable.httpStatus() == 0;
    }

    /** Wings' 502 for a command to a stopped game server: an answer about that server, not a panel failure. */
    static boolean serverOffline(PanelException failure) {
        return failure.httpStatus() == 502 && failure.errors().stream()
                .anyMatch(e -> e.detail() != null && e.detail().contains("must be online"));
    }
}
