package com.admintk.orchestrator.order;

import com.admintk.orchestrator.pterodactyl.ServerSpec;

import java.util.List;
import java.util.Map;

/**
 * The plan as it was sold, frozen into the order so a later catalog edit cannot change a running checkout.
 * {@code environment} holds the plan's values for egg variables (over the egg's defaults, under the customer's
 * choices). Placement is either {@code allocationId} or {@code locationIds} (+ optional {@code portRanges}).
 * {@code ports}: several allocations and the egg variables that carry their ports; null for one allocation (and in
 * orders recorded before it).
 */
public record PlanSnapshot(String planId,
                           int nestId,
                           int eggId,
                           String dockerImage,
                           String startup,
                           Map<String, String> environment,
                           ServerSpec.Limits limits,
                           ServerSpec.FeatureLimits featureLimits,
                           Integer allocationId,
                           List<Integer> locationIds,
                           List<String> portRanges,
                           long priceCoins,
                           long priceAmountMinor,
                           String currency,
                           BillingCycle billingCycle,
                           PlanPorts ports) {

    public PlanSnapshot(String planId, int nestId, int eggId, String dockerImage, String startup,
                        Map<String, String> environment, ServerSpec.Limits limits,
                        ServerSpec.FeatureLimits featureLimits, Integer allocationId, List<Integer> locationIds,
                        List<String> portRanges, long priceCoins, long priceAmountMinor, String currency,
                        BillingCycle billingCycle) {
        this(planId, nestId, eggId, dockerImage, startup, environment, limits, featureLimits, allocationId,
                locationIds, portRanges, priceCoins, priceAmountMinor, currency, billingCycle, null);
    }
}
