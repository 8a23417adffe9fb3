package com.admintk.orchestrator.config;

import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;

/** Beans that only exist in processes that serve the API (roles api and dev). */
public final class ServesApi implements Condition {
    @Override
    public boolean matches(ConditionContext context) {
        return context.getProperty(Role.PROPERTY, String.class).map(Role::parse).map(Role::servesApi).orElse(false);
    }
}
