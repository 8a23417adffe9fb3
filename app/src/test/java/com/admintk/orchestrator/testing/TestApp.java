package com.admintk.orchestrator.testing;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The application in one role, in this JVM, on a free port, against {@link TestStack}. Gives tests an HTTP client
 * that never throws on 4xx/5xx, so assertions see the status and the error body.
 */
public final class TestApp implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final HttpClient client;

    private TestApp(ApplicationContext context) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class).start();
        this.client = context.createBean(HttpClient.class, server.getURL());
    }

    public static TestApp start(String role) {
        return start(role, Map.of());
    }

    public static TestApp start(String role, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        TestStack.appEnvironment(role, "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .forEach((env, value) -> propertiesOf(env).forEach(property -> properties.put(property, value)));
        // Netty binds port 0 itself (no pick-then-bind) and the server reports the port it got.
        properties.put("micronaut.server.port", 0);
        // The tests' own client: a loaded 2-core machine can take longer than the 10 s default to answer a read that
        // waits on a busy worker (an order's progress query during a burst). Tests are not timing tests.
        properties.put("micronaut.http.client.read-timeout", "60s");
        properties.putAll(overrides);
        ApplicationContext context = ApplicationContext.builder()
                .environments("test")
                .properties(properties)
                .start();
        return new TestApp(context);
    }

    /** The environment variables of application.yml, as the properties they fill. */
    private static List<String> propertiesOf(String env) {
        if (env.equals("STRIPE_WEBHOOK_SECRET")) {
            return List.of("payments.stripe.webhook-secret", "orchestrator.security.webhooks.stripe-secret");
        }
        return List.of(switch (env) {
            case "ORCHESTRATOR_ROLE" -> "orchestrator.role";
            case "TEMPORAL_ADDRESS" -> "temporal.target";
            case "TEMPORAL_TEST_SERVER" -> "temporal.test-server";
            case "MONGODB_URI" -> "mongodb.uri";
            case "REDIS_URI" -> "redis.uri";
            case "PANEL_URL" -> "panel.url";
            case "PANEL_APPLICATION_KEY" -> "panel.application-key";
            case "PANEL_CLIENT_KEY" -> "panel.client-key";
            case "JWT_SECRET" -> "orchestrator.security.jwt-secret";
            case "WORKER_SHUTDOWN_GRACE" -> "temporal.shutdown-grace";
            case "ENCRYPTION_KEYS" -> "orchestrator.security.encryption.keys";
            case "ENCRYPTION_ACTIVE_KEY" -> "orchestrator.security.encryption.active-key";
            case "RATE_LIMIT_KEY_PREFIX" -> "orchestrator.security.rate-limit.key-prefix";
            case "STRIPE_API_BASE" -> "payments.stripe.api-base";
            case "STORE_WEBHOOK_SECRET" -> "notifications.store-webhook.secret";
            case "SMTP_HOST" -> "notifications.smtp.host";
            case "SMTP_PORT" -> "notifications.smtp.port";
            case "RECONCILIATION_ENABLED" -> "orchestrator.reconciliation.enabled";
            case "LIVE_STATS_ENABLED" -> "orchestrator.live.stats.enabled";
            case "LIVE_STATS_LEADER_KEY" -> "orchestrator.live.stats.leader-key";
            case "PANEL_RATE_LIMIT_KEY" -> "panel.rate-limit-key";
            case "INSTALL_EVENTS_KEY" -> "orchestrator.install-events.key";
            case "INSTALL_EVENTS_LEADER_KEY" -> "orchestrator.install-events.leader-key";
            default -> throw new IllegalArgumentException(env);
        });
    }

    public ApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public URL url() {
        return server.getURL();
    }

    public BlockingHttpClient http() {
        return client.toBlocking();
    }

    /** Sends the request and returns the response whatever its status, with the body as a JSON map. */
    public HttpResponse<Map<String, Object>> exchange(HttpRequest<?> request) {
        try {
            return http().exchange(request, Argument.mapOf(String.class, Object.class));
        } catch (HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            HttpResponse<Map<String, Object>> response = (HttpResponse<Map<String, Object>>) e.getResponse();
            response.getBody(Argument.mapOf(String.class, Object.class));
            return response;
        }
    }

    /** The error body of a failed exchange: {@code {"message","code","details"}}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> error(HttpResponse<Map<String, Object>> response) {
        Map<String, Object> body = response.getBody(Argument.mapOf(String.class, Object.class)).orElseThrow();
        return (Map<String, Object>) body.get("error");
    }

    @Override
    public void close() {
        client.close();
        context.close();
    }
}
