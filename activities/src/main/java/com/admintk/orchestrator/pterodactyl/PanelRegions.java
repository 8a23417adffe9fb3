package com.admintk.orchestrator.pterodactyl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The panels (regions) the orchestrator sells on, each with its own client, rate-limit bucket and locations. A
 * server lives on one region's panel for its whole life, so every call about it is made with that region's client.
 * A null or blank region is the default one ({@code panel.*}): records and runs from before regions carry none.
 */
public final class PanelRegions {

    public static final String DEFAULT = "default";
    /** Names that survive every way configuration is given (YAML keys, system properties, environment variables). */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    /**
     * One region. {@code locations}: the panel's location ids it sells in; empty only for the default region, whose
     * plans then keep their own {@code locationIds}.
     */
    public record Region(String name, PanelClient client, PanelRateLimiter limiter, List<Integer> locations) {
        public Region {
            locations = locations == null ? List.of() : List.copyOf(locations);
        }
    }

    /** A region that is not configured. */
    public static final class UnknownRegion extends IllegalArgumentException {
        private final String region;

        public UnknownRegion(String region) {
            super("region '" + region + "' is not configured");
            this.region = region;
        }

        public String region() {
            return region;
        }
    }

    private final String defaultRegion;
    private final Map<String, Region> regions = new LinkedHashMap<>();

    /** {@code regions}: the default region first. */
    public PanelRegions(List<Region> regions) {
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("no panel configured");
        }
        this.defaultRegion = regions.get(0).name();
        for (Region region : regions) {
            if (!NAME.matcher(region.name()).matches()) {
                throw new IllegalArgumentException("panel region name '" + region.name()
                        + "' must be lower case letters, digits and dashes, starting with a letter (at most 32)");
            }
            if (this.regions.putIfAbsent(region.name(), region) != null) {
                throw new IllegalArgumentException("panel region '" + region.name() + "' is configured twice"
                        + " (panels." + region.name() + " and panel.region?)");
            }
            if (!region.name().equals(defaultRegion) && region.locations().isEmpty()) {
                throw new IllegalArgumentException("panels." + region.name() + ".locations must name the panel's"
                        + " location ids the region sells in");
            }
        }
    }

    /** One panel: tools and tests that are not about regions. */
    public static PanelRegions single(PanelClient client) {
        return new PanelRegions(List.of(new Region(DEFAULT, client, PanelRateLimiter.unlimited(), List.of())));
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** The region names, the default first. */
    public Set<String> names() {
        return regions.keySet();
    }

    public Collection<Region> all() {
        return regions.values();
    }

    public boolean known(String region) {
        return region == null || region.isBlank() || regions.containsKey(region);
    }

    /** The region's name; null or blank is the default region. */
    public String nameOf(String region) {
        return region == null || region.isBlank() ? defaultRegion : region;
    }

    public boolean isDefault(String region) {
        return nameOf(region).equals(defaultRegion);
    }

    /** @throws UnknownRegion when the region is not configured */
    public Region region(String region) {
        Region found = regions.get(nameOf(region));
        if (found == null) {
            throw new UnknownRegion(region);
        }
        return found;
    }

    /** @throws UnknownRegion when the region is not configured */
    public PanelClient client(String region) {
        return region(region).client();
    }

    /**
     * Where a plan is placed in a region: the region's locations; in the default region without configured locations,
     * the plan's own (as before regions).
     */
    public List<Integer> locationsFor(String region, List<Integer> planLocations) {
        Region r = region(region);
        if (r.locations().isEmpty()) {
            return planLocations == null ? List.of() : List.copyOf(planLocations);
        }
        return r.locations();
    }

    /** The regions of {@code wanted} that are not configured (to refuse a plan or a checkout naming them). */
    public List<String> unknown(Collection<String> wanted) {
        List<String> missing = new ArrayList<>();
        for (String name : wanted) {
            if (!known(name)) {
                missing.add(name);
            }
        }
        return missing;
    }
}
