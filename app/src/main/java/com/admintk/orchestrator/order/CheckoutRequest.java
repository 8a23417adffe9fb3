package com.admintk.orchestrator.order;

import com.admintk.orchestrator.customer.CustomerController;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/**
 * A checkout. {@code customerId} is only for the store's service account (or an admin) ordering on behalf of a
 * customer; a customer ordering for itself leaves it out. The store may name the customer by its own id instead
 * ({@code externalCustomerId}, as given to {@code PUT /api/v1/customers/external/{id}}); not both. {@code region}
 * picks the panel (region) the server is made in; without it the plan's region with the most room is taken.
 * {@code waitForCapacity}: if the panel refuses the server for want of room after the charge, wait up to
 * {@code maxWait} (ISO-8601, e.g. {@code PT6H}) for capacity instead of refunding at once.
 */
@Serdeable
public record CheckoutRequest(@NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String planId,
                              @NotBlank @Size(max = 60) @Pattern(regexp = "[\\p{L}\\p{N} '_.-]+") String serverName,
                              @Nullable @Size(max = 50) Map<@Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}") String,
                                      @NotNull @Size(max = 255) String> eggVariables,
                              @NotBlank @Pattern(regexp = "tkcoins|card") String paymentMethod,
                              @Nullable @Pattern(regexp = "usr_[0-9a-f]{24}") String customerId,
                              @Nullable @Pattern(regexp = CustomerController.EXTERNAL_ID) String externalCustomerId,
                              @Nullable @Valid WaitForCapacity waitForCapacity,
                              @Nullable @Pattern(regexp = "[a-z][a-z0-9-]{0,31}") String region) {

    /** An ISO-8601 duration of days, hours, minutes and seconds; its range is checked against the configured cap. */
    @Serdeable
    public record WaitForCapacity(@NotBlank @Size(max = 40)
                                  @Pattern(regexp = "P(\\d{1,5}D)?(T(\\d{1,7}H)?(\\d{1,9}M)?(\\d{1,10}S)?)?") String maxWait) {
    }

    public Map<String, String> variables() {
        return eggVariables == null ? Map.of() : eggVariables;
    }
}
