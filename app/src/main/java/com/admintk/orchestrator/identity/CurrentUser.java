package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Who is calling, for controllers and services. Ownership checks answer 404 for another client's resource, never
 * 403, so ids do not leak:
 * <pre>{@code
 * Order order = orders.find(id).orElseThrow(() -> ApiException.notFound("Order"));
 * currentUser.requireOwnerOrAdmin(who, order.customerId(), "Order");
 * }</pre>
 */
@Singleton
public class CurrentUser {

    private final UserService users;

    public CurrentUser(UserService users) {
        this.users = users;
    }

    /** The user id ({@code usr_…}), or the service account id for the store. */
    public String id(Authentication who) {
        return who.getName();
    }

    public boolean isAdmin(Authentication who) {
        return who.getRoles().contains(Roles.ADMIN) || who.getRoles().contains(Roles.SUPER_ADMIN);
    }

    public boolean isSuperAdmin(Authentication who) {
        return who.getRoles().contains(Roles.SUPER_ADMIN);
    }

    public boolean isStore(Authentication who) {
        return who.getRoles().contains(Roles.STORE);
    }

    /** True when {@code who} may see a resource owned by {@code ownerId}: its owner or an admin. */
    public boolean canAccess(Authentication who, @Nullable String ownerId) {
        return isAdmin(who) || ownerId != null && ownerId.equals(who.getName()) && !isStore(who);
    }

    /** @throws ApiException 404 "{resource} not found" unless {@link #canAccess} */
    public void requireOwnerOrAdmin(Authentication who, @Nullable String ownerId, String resource) {
        if (!canAccess(who, ownerId)) {
            throw ApiException.notFound(resource);
        }
    }

    /**
     * The customer an order is for. A CLIENT orders for itself (a {@code customerId} naming someone else is 404);
     * the store must name an existing CLIENT; an admin may order for anyone or for itself.
     */
    public String customerFor(Authentication who, @Nullable String customerId) {
        return customerFor(who, customerId, null);
    }

    /**
     * As {@link #customerFor(Authentication, String)}, the customer named either by our id or by the store's own id
     * ({@code externalCustomerId}), never both.
     */
    public String customerFor(Authentication who, @Nullable String customerId, @Nullable String externalCustomerId) {
        if (externalCustomerId != null) {
            if (customerId != null) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "CUSTOMER_AMBIGUOUS",
                        "Name the customer by customerId or by externalCustomerId, not both",
                        Map.of("field", "externalCustomerId"));
            }
            UserRecord customer = users.findByExternalId(externalCustomerId)
                    .filter(c -> c.roles().contains(Roles.CLIENT) && !c.disabled())
                    .orElseThrow(() -> ApiException.notFound("Customer"));
            // a client may only order for itself, whatever id it uses
            if (!isStore(who) && !isAdmin(who) && !customer.id().equals(who.getName())) {
                throw ApiException.notFound("Customer");
            }
            customerId = customer.id();
        }
        if (isStore(who) || isAdmin(who) && customerId != null) {
            if (customerId == null) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "CUSTOMER_REQUIRED",
                        "The store must name the customer (customerId or externalCustomerId)", Map.of("field", "customerId"));
            }
            UserRecord customer = users.findById(customerId).orElseThrow(() -> ApiException.notFound("Customer"));
            if (!customer.roles().contains(Roles.CLIENT) || customer.disabled()) {
                throw ApiException.notFound("Customer");
            }
            return customer.id();
        }
        if (customerId != null && !customerId.equals(who.getName())) {
            throw ApiException.notFound("Customer");
        }
        return who.getName();
    }
}
