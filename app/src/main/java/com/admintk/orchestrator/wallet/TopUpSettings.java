package com.admintk.orchestrator.wallet;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Locale;

/**
 * Buying TK-Coins by card ({@code orchestrator.wallet.top-up.*}). A top-up of {@code coins} charges
 * {@code coins × coinPriceMinor} in {@code currency}. {@link com.admintk.orchestrator.config.ConfigurationCheck}
 * refuses bad values at startup.
 *
 * @param minCoins        smallest top-up (keep its price above the card provider's minimum charge)
 * @param maxCoins        largest top-up
 * @param coinPriceMinor  price of one coin in the smallest currency unit (cents)
 * @param currency        ISO 4217 code, lower case as Stripe wants it
 * @param paymentDeadline how long a top-up waits for the card payment's webhook
 */
@ConfigurationProperties("orchestrator.wallet.top-up")
public record TopUpSettings(@Bindable(defaultValue = "100") long minCoins,
                            @Bindable(defaultValue = "100000") long maxCoins,
                            @Bindable(defaultValue = "1") long coinPriceMinor,
                            @Bindable(defaultValue = "eur") String currency,
                            @Bindable(defaultValue = "30m") Duration paymentDeadline) {

    public TopUpSettings {
        currency = currency == null ? null : currency.trim().toLowerCase(Locale.ROOT);
    }

    /** The first problem of these settings as one line naming the variable and the property, or null. */
    public String problem() {
        if (minCoins < 1) {
            return invalid("TOP_UP_MIN_COINS", "min-coins", "must be at least 1, got " + minCoins);
        }
        if (maxCoins < minCoins) {
            return invalid("TOP_UP_MAX_COINS", "max-coins", maxCoins + " is below min-coins " + minCoins);
        }
        if (coinPriceMinor < 1) {
            return invalid("TOP_UP_COIN_PRICE_MINOR", "coin-price-minor", "must be at least 1, got " + coinPriceMinor);
        }
        if (maxCoins > Long.MAX_VALUE / coinPriceMinor) {
            return invalid("TOP_UP_MAX_COINS", "max-coins", "its price overflows");
        }
        if (currency == null || !currency.matches("[a-z]{3}")) {
            return invalid("TOP_UP_CURRENCY", "currency", "expected a three-letter ISO 4217 code, got '" + currency + "'");
        }
        if (paymentDeadline == null || paymentDeadline.isNegative() || paymentDeadline.isZero()) {
            return invalid("TOP_UP_PAYMENT_DEADLINE", "payment-deadline", "must be positive, got " + paymentDeadline);
        }
        return null;
    }

    private static String invalid(String env, String property, String reason) {
        return env + " (orchestrator.wallet.top-up." + property + ") is invalid: " + reason;
    }

    public long priceMinor(long coins) {
        return Math.multiplyExact(coins, coinPriceMinor);
    }
}
