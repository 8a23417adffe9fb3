package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.OrderOptions;

import java.util.List;

/**
 * The billing and termination rules a server's lifecycle runs with, carried in its input so a running server keeps
 * the rules it started with (a new configuration applies to servers sold after it). Zero, negative or null means
 * "use the default".
 *
 * @param dunningOffsetsSeconds     when each renewal charge is tried, counted from the renewal date; ascending, the
 *                                  first usually 0 (e.g. day 0, 3 and 5). After the last one fails the server is
 *                                  suspended.
 * @param gracePeriodSeconds        how long a server suspended for non-payment waits for a payment before it is
 *                                  terminated
 * @param renewalCardDeadlineSeconds how long one card renewal attempt waits for the payment webhook
 * @param forceDeleteAfterSeconds   how long a node must stay unreachable, in workflow time, before a terminated
 *                                  server is force-deleted from the panel
 * @param nodeRecheckSeconds        how often a normal delete is tried again while the node is unreachable
 * @param historyLimit              how many transitions the lifecycle keeps (and carries across continue-as-new)
 * @param billingPeriodSeconds      when positive, a billing period lasts this many seconds instead of the plan's
 *                                  calendar cycle: for the local stack and end-to-end tests, where a month cannot
 *                                  be waited out. Production leaves it 0.
 * @param installDeadlineSeconds    how long a reinstall may take before operators are alerted; the defaults are
 *                                  provisioning's ({@link OrderOptions}), so a reinstall waits as a new server does
 * @param installPollInitialSeconds first wait between two install probes of a reinstall, doubled up to
 * @param installPollMaxSeconds     the longest wait between two probes
 */
public record LifecyclePolicy(List<Long> dunningOffsetsSeconds,
                              long gracePeriodSeconds,
                              long renewalCardDeadlineSeconds,
                              long forceDeleteAfterSeconds,
                              long nodeRecheckSeconds,
                              int historyLimit,
                              long billingPeriodSeconds,
                              long installDeadlineSeconds,
                              long installPollInitialSeconds,
                              long installPollMaxSeconds) {

    public static final List<Long> DEFAULT_DUNNING_OFFSETS_SECONDS = List.of(0L, 3 * 86_400L, 5 * 86_400L);
    public static final long DEFAULT_GRACE_PERIOD_SECONDS = 7 * 86_400L;
    public static final long DEFAULT_RENEWAL_CARD_DEADLINE_SECONDS = 86_400L;
    public static final long DEFAULT_FORCE_DELETE_AFTER_SECONDS = 30 * 60L;
    public static final long DEFAULT_NODE_RECHECK_SECONDS = 60L;
    public static final int DEFAULT_HISTORY_LIMIT = 50;
    /** The dedupe memory of payment events: far more than one cycle can see, small enough to carry. */
    public static final int APPLIED_PAYMENTS_KEPT = 100;
    /** The dedupe memory of answered requests (pay now, plan change, reinstall), carried like the payments. */
    public static final int ANSWERED_REQUESTS_KEPT = 100;

    /** The shape recorded before {@code billingPeriodSeconds}: calendar cycles. */
    public LifecyclePolicy(List<Long> dunningOffsetsSeconds, long gracePeriodSeconds, long renewalCardDeadlineSeconds,
                           long forceDeleteAfterSeconds, long nodeRecheckSeconds, int historyLimit) {
        this(dunningOffsetsSeconds, gracePeriodSeconds, renewalCardDeadlineSeconds, forceDeleteAfterSeconds,
                nodeRecheckSeconds, historyLimit, 0);
    }

    /** The shape recorded before the install timing of reinstalls: provisioning's defaults. */
    public LifecyclePolicy(List<Long> dunningOffsetsSeconds, long gracePeriodSeconds, long renewalCardDeadlineSeconds,
                           long forceDeleteAfterSeconds, long nodeRecheckSeconds, int historyLimit,
                           long billingPeriodSeconds) {
        this(dunningOffsetsSeconds, gracePeriodSeconds, renewalCardDeadlineSeconds, forceDeleteAfterSeconds,
                nodeRecheckSeconds, historyLimit, billingPeriodSeconds, 0, 0, 0);
    }

    public static LifecyclePolicy defaults() {
        return new LifecyclePolicy(null, 0, 0, 0, 0, 0, 0);
    }

    /** The same rules with a reinstall's install deadline and polling taken from provisioning's options. */
    public LifecyclePolicy withInstallTiming(OrderOptions install) {
        OrderOptions o = install == null ? OrderOptions.defaults() : install;
        return new LifecyclePolicy(dunningOffsetsSeconds, gracePeriodSeconds, renewalCardDeadlineSeconds,
                forceDeleteAfterSeconds, nodeRecheckSeconds, historyLimit, billingPeriodSeconds,
                o.installDeadlineSeconds(), o.installPollInitialSeconds(), o.installPollMaxSeconds());
    }

    /** The start of the period that ends at {@code renewsAtMillis}: what a plan change prorates over. */
    public long previousRenewal(BillingCycle cycle, long renewsAtMillis) {
        return billingPeriodSeconds > 0 ? renewsAtMillis - billingPeriodSeconds * 1000 : cycle.previousRenewal(renewsAtMillis);
    }

    /** A reinstall waits for the panel install like provisioning does. */
    public OrderOptions installTiming() {
        return new OrderOptions(installDeadlineSeconds, installPollInitialSeconds, installPollMaxSeconds, 0)
                .withDefaults();
    }

    /** The end of the period that starts at {@code fromEpochMillis}. */
    public long nextRenewal(BillingCycle cycle, long fromEpochMillis) {
        return billingPeriodSeconds > 0 ? fromEpochMillis + billingPeriodSeconds * 1000 : cycle.nextRenewal(fromEpochMillis);
    }

    public LifecyclePolicy withDefaults() {
        return new LifecyclePolicy(validOffsets(dunningOffsetsSeconds) ? List.copyOf(dunningOffsetsSeconds)
                : DEFAULT_DUNNING_OFFSETS_SECONDS,
                orDefault(gracePeriodSeconds, DEFAULT_GRACE_PERIOD_SECONDS),
                orDefault(renewalCardDeadlineSeconds, DEFAULT_RENEWAL_CARD_DEADLINE_SECONDS),
                orDefault(forceDeleteAfterSeconds, DEFAULT_FORCE_DELETE_AFTER_SECONDS),
                orDefault(nodeRecheckSeconds, DEFAULT_NODE_RECHECK_SECONDS),
                historyLimit > 0 ? historyLimit : DEFAULT_HISTORY_LIMIT,
                Math.max(0, billingPeriodSeconds),
                Math.max(0, installDeadlineSeconds), Math.max(0, installPollInitialSeconds),
                Math.max(0, installPollMaxSeconds));
    }

    public int chargeAttempts() {
        return withDefaults().dunningOffsetsSeconds().size();
    }

    /** A schedule is usable when it has at least one offset and never goes back in time. */
    static boolean validOffsets(List<Long> offsets) {
        if (offsets == null || offsets.isEmpty()) {
            return false;
        }
        long previous = 0;
        for (Long offset : offsets) {
            if (offset == null || offset < previous) {
                return false;
            }
            previous = offset;
        }
        return true;
    }

    private static long orDefault(long value, long fallback) {
        return value > 0 ? value : fallback;
    }
}
