package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client and the activities against a tiny fake panel over real HTTP. */
class PanelClientTest {

    private FakePanel panel;
    private SimpleMeterRegistry metrics;
    private PanelClient client;
    private PterodactylActivitiesImpl activities;

    @BeforeEach
    void start() throws Exception {
        panel = new FakePanel();
        metrics = new SimpleMeterRegistry();
        use(panel.configuration());
    }

    @AfterEach
    void stop() {
        panel.close();
    }

    private void use(PanelConfiguration config) {
        client = new PanelClient(config, PanelRateLimiter.unlimited(), metrics);
        activities = new PterodactylActivitiesImpl(client);
    }

    @Test
    void listsFollowPaginationToTheLastPage() {
        for (int i = 0; i < 5; i++) {
            panel.addServer("order:" + i);
        }
        List<Panel.Server> all = client.listServers(Map.of());
        assertEquals(5, all.size());
        assertEquals(3, panel.requests.stream().filter(r -> r.equals("GET /api/application/servers")).count());
        assertEquals(List.of("order:0"), client.listServers(Map.of("external_id", "order:0")).stream()
                .map(Panel.Server::externalId).toList());
    }

    @Test
    void a429IsAbsorbedByWaitingRetryAfter() {
        int id = panel.addServer("order:throttled").path("id").asInt();
        panel.throttleNext.set(2);
        long started = System.nanoTime();
        Panel.Server server = client.getServer(id);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(id, server.id());
        assertTrue(took.toMillis() >= 2000, "waited Retry-After twice, took " + took);
        assertEquals(2, metrics.get("panel.ratelimit.wait").tag("source", "panel").timer().count());
        assertEquals(2, metrics.get("panel.requests").tag("status", "429").timer().count());
        assertEquals(1, metrics.get("panel.requests").tag("status", "200")
                .tag("endpoint", "/api/application/servers/{id}").timer().count());
    }

    @Test
    void a429ThatPersistsSurfacesAsRetryableWithItsRetryAfter() {
        use(new PanelConfiguration(panel.url(), FakePanel.APP_KEY, FakePanel.CLIENT_KEY, Duration.ofSeconds(2),
                Duration.ofSeconds(5), 200, 10, 1, "k"));
        panel.throttleNext.set(10);
        panel.retryAfterSeconds = 1;
        var e = assertThrows(PanelException.Unavailable.class, () -> client.findServerByExternalId("x"));
        assertEquals(PanelException.Unavailable.Reason.RATE_LIMITED, e.reason());
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> activities.findServer("x"));
        assertEquals(PanelFailures.UNAVAILABLE, f.getType());
        assertFalse(f.isNonRetryable());
        assertEquals(Duration.ofSeconds(1), f.getNextRetryDelay());
    }

    @Test
    void aRetriedCreateResolvesToTheExistingServer() {
        PanelServerRef first = activities.createServer("order:42", spec());
        PanelServerRef again = activities.createServer("order:42", spec());
        assertEquals(first.id(), again.id());
        assertEquals(1, panel.serversWithExternalId("order:42"));
        assertTrue(first.installing());
    }

    @Test
    void aCreateThatTimesOutResolvesToTheServerThePanelMade() {
        use(panel.configuration().withReadTimeout(Duration.ofMillis(400)));
        panel.createDelayMillis = 1500;
        PanelServerRef created = activities.createServer("order:slow", spec());
        assertEquals("order:slow", created.externalId());
        assertEquals(1, panel.serversWithExternalId("order:slow"));
        assertEquals(1, metrics.get("panel.requests").tag("status", "timeout").timer().count());

        // and the activity's own retry (Temporal) still ends with that one server
        PanelServerRef retried = activities.createServer("order:slow", spec());
        assertEquals(created.id(), retried.id());
        assertEquals(1, panel.serversWithExternalId("order:slow"));
    }

    @Test
    void deleteFallsBackToForceWhenTheNodeIsDeadAndIsSafeToRepeat() {
        panel.addServer("order:dead");
        panel.deadNode = true;
        assertTrue(activities.deleteServer("order:dead"));
        assertEquals(0, panel.serversWithExternalId("order:dead"));
        assertTrue(panel.requests.stream().anyMatch(r -> r.endsWith("/force")));
        assertFalse(activities.deleteServer("order:dead"));
    }

    @Test
    void suspendAndUnsuspendAreIdempotent() {
        int id = panel.addServer("order:s").path("id").asInt();
        activities.suspendServer(id);
        activities.suspendServer(id);
        assertTrue(activities.getServer(id).suspended());
        activities.unsuspendServer(id);
        activities.unsuspendServer(id);
        assertFalse(activities.getServer(id).suspended());
        ApplicationFailure gone = assertThrows(ApplicationFailure.class, () -> activities.getServer(9999));
        assertEquals(PanelFailures.NOT_FOUND, gone.getType());
        assertTrue(gone.isNonRetryable());
    }

    @Test
    void ensurePanelUserFindsByExternalIdThenEmailThenCreates() {
        panel.addUser("cust_1", "one@example.com");
        panel.addUser(null, "two@example.com");
        assertEquals("cust_1", activities.ensurePanelUser(request("cust_1", "one@example.com")).externalId());
        assertEquals("two@example.com", activities.ensurePanelUser(request("cust_2", "two@example.com")).email());
        PanelUserRef created = activities.ensurePanelUser(request("cust_3", "three@example.com"));
        assertEquals("cust_3", created.externalId());
        assertEquals(created.id(), activities.ensurePanelUser(request("cust_3", "three@example.com")).id());
        assertEquals(3, panel.users.size());
    }

    @Test
    void panelRefusalsBecomeNonRetryableFailuresOfTheirType() {
        ServerSpec missingVariables = new ServerSpec("n", null, 12, 3, "img", "java", Map.of("X", "y"),
                new ServerSpec.Limits(1024, 0, 1024, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), 1042, null,
                null);
        ApplicationFailure invalid = assertThrows(ApplicationFailure.class,
                () -> activities.createServer("order:bad", missingVariables));
        assertEquals(PanelFailures.VALIDATION, invalid.getType());
        assertTrue(invalid.isNonRetryable());
        assertEquals(List.of("environment.SERVER_JARFILE:required", "environment.BUILD_NUMBER:required"),
                invalid.getDetails().get(List.class));

        ServerSpec nowhere = new ServerSpec("n", null, 12, 3, "img", "java", Map.of("SERVER_JARFILE", "s.jar"),
                new ServerSpec.Limits(1024, 0, 1024, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), null,
                List.of(), List.of());
        ApplicationFailure full = assertThrows(ApplicationFailure.class,
                () -> activities.createServer("order:full", nowhere));
        assertEquals(PanelFailures.NO_CAPACITY, full.getType());
        assertTrue(full.isNonRetryable());

        use(PanelConfiguration.of(panel.url(), "ptla_wrong", null));
        ApplicationFailure denied = assertThrows(ApplicationFailure.class, () -> activities.findServer("x"));
        assertEquals(PanelFailures.ACCESS_DENIED, denied.getType());
        assertTrue(denied.isNonRetryable());
    }

    @Test
    void anUnreachablePanelIsRetryable() throws Exception {
        try (FreePorts.RefusingPort down = FreePorts.refusingPort()) {
            use(PanelConfiguration.of("http://127.0.0.1:" + down.port(), "k", "k"));
            var e = assertThrows(PanelException.Unavailable.class, () -> client.getServer(1));
            assertEquals(PanelException.Unavailable.Reason.CONNECTION, e.reason());
            ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> activities.getServer(1));
            assertEquals(PanelFailures.UNAVAILABLE, f.getType());
            assertFalse(f.isNonRetryable());
        }
    }

    private static PanelUserRequest request(String customer, String email) {
        return new PanelUserRequest(customer, email, customer, "First", "Last");
    }

    private static ServerSpec spec() {
        return new ServerSpec("Steve's Paper SMP", "order 42", 12, 3, "ghcr.io/pterodactyl/yolks:java_21",
                "java -jar {{SERVER_JARFILE}}",
                Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest"),
                new ServerSpec.Limits(4096, 0, 20480, 500, 200), new ServerSpec.FeatureLimits(2, 3, 3), 1042, null,
                null);
    }
}
