package com.admintk.orchestrator.health;

import com.admintk.orchestrator.identity.Roles;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.security.authentication.Authentication;

import java.util.Map;

/**
 * {@code /health} tells anyone whether the service is up, and only operators why: dependency names, hosts and
 * errors help an attacker map the system. Anonymous and customer callers get {@code {"status":"UP|DOWN"}} with the
 * same HTTP status; an ADMIN's bearer token shows the details.
 */
@ServerFilter({"/health", "/health/**"})
public class HealthDetailsFilter {

    @ResponseFilter
    public void hideDetails(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Object body = response.getBody().orElse(null);
        if (!(body instanceof HealthResult result)) {
            return;
        }
        boolean admin = request.getUserPrincipal(Authentication.class)
                .map(who -> who.getRoles().contains(Roles.ADMIN)).orElse(false);
        if (!admin) {
            response.body(Map.of("status", result.getStatus().getName()));
        }
    }
}
