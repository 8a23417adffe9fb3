package com.admintk.orchestrator.order;

/**
 * Timing knobs from configuration, carried in the input so a running order keeps the values it started with.
 * Zero or negative means "use the default".
 */
public record OrderOptions(long installDeadlineSeconds,
                           long installPollInitialSeconds,
                           long installPollMaxSeconds,
                           long cardPaymentDeadlineSeconds) {

    public static final long DEFAULT_INSTALL_DEADLINE_SECONDS = 15 * 60;
    public static final long DEFAULT_INSTALL_POLL_INITIAL_SECONDS = 5;
    public static final long DEFAULT_INSTALL_POLL_MAX_SECONDS = 60;
    public static final long DEFAULT_CARD_PAYMENT_DEADLINE_SECONDS = 30 * 60;

    public static OrderOptions defaults() {
        return new OrderOptions(0, 0, 0, 0);
    }

    public OrderOptions withDefaults() {
        return new OrderOptions(
                orDefault(installDeadlineSeconds, DEFAULT_INSTALL_DEADLINE_SECONDS),
                orDefault(installPollInitialSeconds, DEFAULT_INSTALL_POLL_INITIAL_SECONDS),
                orDefault(installPollMaxSeconds, DEFAULT_INSTALL_POLL_MAX_SECONDS),
                orDefault(cardPaymentDeadlineSeconds, DEFAULT_CARD_PAYMENT_DEADLINE_SECONDS));
    }

    private static long orDefault(long value, long fallback) {
        return value > 0 ? value : fallback;
    }
}
