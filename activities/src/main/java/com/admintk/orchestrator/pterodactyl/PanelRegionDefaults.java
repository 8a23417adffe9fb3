package com.admintk.orchestrator.pterodactyl;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

import java.util.List;

/**
 * The region of the panel of {@code panel.*}, the default one: orders, plans and server records without a region
 * belong to it, so deployments from before regions keep working unchanged.
 *
 * @param region    its name ({@code PANEL_REGION}, default {@code default})
 * @param locations location ids it sells in ({@code PANEL_LOCATIONS}); empty: each plan's own {@code locationIds}
 */
@ConfigurationProperties("panel")
public record PanelRegionDefaults(@Bindable(defaultValue = PanelRegions.DEFAULT) @NotBlank String region,
                                  @Nullable List<Integer> locations) {

    public PanelRegionDefaults {
        locations = locations == null ? List.of() : List.copyOf(locations);
    }
}
