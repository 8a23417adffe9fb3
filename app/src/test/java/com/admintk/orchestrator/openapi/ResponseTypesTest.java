package com.admintk.orchestrator.openapi;

import com.admintk.orchestrator.error.ApiError;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.core.beans.exceptions.IntrospectionException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.serde.SerdeIntrospections;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every type a controller answers with, down to its nested records, can be written by Micronaut Serde. A record of
 * {@code workflows/} (no Micronaut there) inside a response needs a {@code @SerdeImport}; without one the route
 * answers 500 "No serializable introspection present" only when it is called. This finds it at build time.
 */
class ResponseTypesTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start("api");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyResponseTypeOfEveryRouteIsSerialisable() {
        SerdeIntrospections introspections = app.bean(SerdeIntrospections.class);
        List<String> problems = new ArrayList<>();
        Set<Class<?>> checked = new HashSet<>();
        List<UriRouteInfo<?, ?>> routes = app.bean(Router.class).uriRoutes()
                .<UriRouteInfo<?, ?>>map(route -> route)
                .filter(route -> route.getDeclaringType().getName().startsWith("com.admintk.orchestrator"))
                .toList();
        for (UriRouteInfo<?, ?> route : routes) {
            String where = route.getHttpMethodName() + " " + route.getUriMatchTemplate();
            check(introspections, route.getTargetMethod().getReturnType().asArgument(), where, checked, problems);
        }
        check(introspections, Argument.of(ApiError.class), "error shape", checked, problems);
        assertTrue(problems.isEmpty(), "not serialisable: " + problems);
        assertTrue(routes.size() >= 10, "the router exposes the API routes: " + routes.size());
        assertTrue(checked.stream().anyMatch(type -> type.getName().endsWith("ServerSpec$Limits")),
                "the walk reaches the plans' nested records: " + checked);
    }

    private static void check(SerdeIntrospections introspections, Argument<?> argument, String where,
                              Set<Class<?>> checked, List<String> problems) {
        Class<?> type = argument.getType();
        if (HttpResponse.class.isAssignableFrom(type) || Optional.class.isAssignableFrom(type)
                || Publisher.class.isAssignableFrom(type) || CompletionStage.class.isAssignableFrom(type)
                || Iterable.class.isAssignableFrom(type) || type.isArray()) {
            Argument<?>[] parameters = argument.getTypeParameters();
            if (type.isArray()) {
                check(introspections, Argument.of(type.getComponentType()), where, checked, problems);
            } else if (parameters.length > 0) {
                check(introspections, parameters[0], where, checked, problems);
            }
            return;
        }
        if (Map.class.isAssignableFrom(type)) {
            Argument<?>[] parameters = argument.getTypeParameters();
            if (parameters.length == 2) {
                check(introspections, parameters[1], where, checked, problems);
            }
            return;
        }
        if (writtenNatively(type) || !checked.add(type)) {
            return;
        }
        try {
            for (BeanProperty<?, ?> property : introspections.getSerializableIntrospection(argument).getBeanProperties()) {
                check(introspections, property.asArgument(), where + " ." + property.getName(), checked, problems);
            }
        } catch (IntrospectionException e) {
            problems.add(where + ": " + type.getName());
        }
    }

    /** Types Micronaut Serde writes without an introspection. */
    private static boolean writtenNatively(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || type == Object.class || type == Void.class
                || CharSequence.class.isAssignableFrom(type) || Number.class.isAssignableFrom(type)
                || type == Boolean.class || type == Character.class || type == UUID.class
                || Temporal.class.isAssignableFrom(type);
    }
}
