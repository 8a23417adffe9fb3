package com.admintk.orchestrator.order;

import java.time.Instant;
import java.time.ZoneOffset;

/** How often a server renews. Calendar months in UTC, computed from workflow time only. */
public enum BillingCycle {
    MONTHLY(1),
    QUARTERLY(3),
    SEMIANNUAL(6),
    ANNUAL(12);

    private final int months;

    BillingCycle(int months) {
        this.months = months;
    }

    public long nextRenewal(long fromEpochMillis) {
        return Instant.ofEpochMilli(fromEpochMillis).atZone(ZoneOffset.UTC).plusMonths(months).toInstant().toEpochMilli();
    }

    /** The start of the period that ends at {@code renewsAtMillis}. */
    public long previousRenewal(long renewsAtMillis) {
        return Instant.ofEpochMilli(renewsAtMillis).atZone(ZoneOffset.UTC).minusMonths(months).toInstant().toEpochMilli();
    }
}
