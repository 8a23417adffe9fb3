package com.admintk.orchestrator.pterodactyl;

import java.util.List;
import java.util.Map;

/**
 * What to create on the panel. Placement is either a fixed allocation ({@code allocationId}) or a deploy over
 * {@code locationIds} (with optional {@code portRanges}). {@code additionalAllocationIds} go with a fixed allocation
 * only (the panel's {@code allocation.additional}); null or empty for none.
 */
public record ServerSpec(String name,
                         String description,
                         int panelUserId,
                         int eggId,
                         String dockerImage,
                         String startup,
                         Map<String, String> environment,
                         Limits limits,
                         FeatureLimits featureLimits,
                         Integer allocationId,
                         List<Integer> locationIds,
                         List<String> portRanges,
                         List<Integer> additionalAllocationIds) {

    public ServerSpec(String name, String description, int panelUserId, int eggId, String dockerImage,
                      String startup, Map<String, String> environment, Limits limits, FeatureLimits featureLimits,
                      Integer allocationId, List<Integer> locationIds, List<String> portRanges) {
        this(name, description, panelUserId, eggId, dockerImage, startup, environment, limits, featureLimits,
                allocationId, locationIds, portRanges, null);
    }

    /** The same server for the panel user that will own it (known only once the user is ensured). */
    public ServerSpec withPanelUser(int userId) {
        return new ServerSpec(name, description, userId, eggId, dockerImage, startup, environment, limits,
                featureLimits, allocationId, locationIds, portRanges, additionalAllocationIds);
    }

    /** The same server on these allocations, with the environment that names their ports. */
    public ServerSpec withAllocations(int defaultAllocationId, List<Integer> additional,
                                      Map<String, String> environment) {
        return new ServerSpec(name, description, panelUserId, eggId, dockerImage, startup, environment, limits,
                featureLimits, defaultAllocationId, locationIds, portRanges, List.copyOf(additional));
    }

    /** Memory, swap and disk in MiB, io weight 10–1000, cpu in percent of one core. */
    public record Limits(int memory, int swap, int disk, int io, int cpu) {
    }

    public record FeatureLimits(int databases, int allocations, int backups) {
    }
}
