package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.pterodactyl.PanelRegions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** One {@link Capacity} per panel region. */
@Factory
@Requires(property = "panel.url")
class CapacityBeans {

    @Singleton
    RegionalCapacity regionalCapacity(PanelRegions regions, StatefulRedisConnection<String, String> redis,
                                      CapacitySettings settings, MeterRegistry metrics) {
        Map<String, Capacity> byRegion = new LinkedHashMap<>();
        for (PanelRegions.Region region : regions.all()) {
            byRegion.put(region.name(), new Capacity(region.name(), region.client(), redis, settings, metrics));
        }
        return new RegionalCapacity(regions, byRegion);
    }

    /** The default region's: what callers that know no region (and deployments with one panel) use. */
    @Singleton
    Capacity capacity(RegionalCapacity regional) {
        return regional.in(null);
    }
}
