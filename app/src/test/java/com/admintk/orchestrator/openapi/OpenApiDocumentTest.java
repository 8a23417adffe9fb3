package com.admintk.orchestrator.openapi;

import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every controller route the router knows must be in the OpenAPI document, so the document never drifts. */
class OpenApiDocumentTest {

    static final String DOCUMENT = "META-INF/swagger/admintk-orchestrator.yml";
    private static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start("dev");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void everyEndpointOfTheApiIsInTheOpenApiDocument() throws IOException {
        Map<String, Map<String, Object>> documented = documentedPaths();
        List<String> missing = new ArrayList<>();
        List<String> routes = apiRoutes(app.bean(Router.class));
        for (String route : routes) {
            String[] methodAndPath = route.split(" ", 2);
            Map<String, Object> operations = documented.get(methodAndPath[1]);
            if (operations == null || !operations.containsKey(methodAndPath[0].toLowerCase(Locale.ROOT))) {
                missing.add(route);
            }
        }
        assertTrue(missing.isEmpty(), "routes missing from " + DOCUMENT + ": " + missing);
    }

    @Test
    void theDocumentIsServedAndSwaggerUiOnlyWhenEnabled() {
        assertEquals(200, app.http().exchange(HttpRequest.GET("/swagger/admintk-orchestrator.yml"), String.class).code());
        assertEquals(404, app.exchange(HttpRequest.GET("/swagger-ui/index.html")).code(), "off unless enabled");
        try (TestApp enabled = TestApp.start("dev", Map.of("micronaut.router.static-resources.swagger-ui.enabled", true))) {
            assertEquals(200, enabled.http().exchange(HttpRequest.GET("/swagger-ui/index.html"), String.class).code());
        }
    }

    /** "METHOD /path/{var}" for every route declared by our own controllers (not management endpoints). */
    static List<String> apiRoutes(Router router) {
        return router.uriRoutes()
                .map(route -> (UriRouteInfo<?, ?>) route)
                .filter(route -> route.getDeclaringType().getName().startsWith("com.admintk.orchestrator"))
                // WebSockets are not OpenAPI's: docs/asyncapi/live-socket.yaml describes /api/v1/ws
                .filter(route -> !route.getDeclaringType().isAnnotationPresent(
                        io.micronaut.websocket.annotation.ServerWebSocket.class))
                // Micronaut answers HEAD for every GET by itself; OpenAPI documents the GET.
                .filter(route -> !"HEAD".equals(route.getHttpMethodName()))
                .map(route -> route.getHttpMethodName() + " " + normalise(route.getUriMatchTemplate().toPathString()))
                .distinct()
                .sorted()
                .toList();
    }

    private static String normalise(String template) {
        // Micronaut templates may carry modifiers such as {id:[0-9a-f]+}; OpenAPI has plain {id}.
        return template.replaceAll("\\{([^}:]+)(:[^}]*)?}", "{$1}").replaceAll("\\{[?+]?", "{");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> documentedPaths() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertTrue(in != null, DOCUMENT + " is generated at compile time");
            Map<String, Object> document = new Yaml().load(in);
            Object paths = document.get("paths");
            return paths == null ? Map.of() : (Map<String, Map<String, Object>>) paths;
        }
    }
}
