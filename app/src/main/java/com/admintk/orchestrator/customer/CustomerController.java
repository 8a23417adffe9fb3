package com.admintk.orchestrator.customer;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.identity.UserRecord;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

@Controller("/api/v1/customers")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.STORE, Roles.ADMIN})
@Tag(name = "customers")
public class CustomerController {

    /** The store's customer ids: letters, digits and {@code _.:-}, up to 64. */
    public static final String EXTERNAL_ID = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

    @Serdeable
    public record CustomerUpsert(@NotBlank @Email @Size(max = 254) String email,
                                 @NotBlank @Size(max = 100) @Pattern(regexp = "[\\p{L}\\p{M}\\p{N} .,'_-]+") String name) {
    }

    @Serdeable
    public record Customer(String customerId, String externalCustomerId, String email, String name, boolean created) {
    }

    private final StoreCustomers customers;
    private final AuditLog audit;

    public CustomerController(StoreCustomers customers, AuditLog audit) {
        this.customers = customers;
        this.audit = audit;
    }

    @Put("/external/{storeCustomerId}")
    @Operation(summary = "Create or update a customer by the store's own id (store or ADMIN)",
            description = "201 with the customer id when new, 200 with the same id afterwards; 409 EMAIL_TAKEN when another account has the email")
    public HttpResponse<Customer> upsert(HttpRequest<?> request, Authentication who,
                                         @PathVariable @Pattern(regexp = EXTERNAL_ID, message = "is not a store customer id") String storeCustomerId,
                                         @Body @Valid CustomerUpsert body) {
        StoreCustomers.Upserted result = customers.upsert(storeCustomerId, body.email(), body.name().trim());
        UserRecord customer = result.customer();
        audit.record(request, who, result.created() ? AuditLog.Actions.USER_CREATED : "CUSTOMER_UPDATED",
                "user:" + customer.id(), AuditLog.SUCCESS, null, Map.of("externalCustomerId", storeCustomerId));
        Customer view = new Customer(customer.id(), storeCustomerId, customer.email(), customer.name(), result.created());
        return result.created() ? HttpResponse.created(view) : HttpResponse.ok(view);
    }
}
