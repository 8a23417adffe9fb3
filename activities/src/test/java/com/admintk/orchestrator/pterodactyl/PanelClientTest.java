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
            panel.addUser("cust_" + i, "same@example.com");
        }
        assertEquals(5, client.findUsersByEmail("same@example.com").size());
        assertEquals(3, panel.requests.stream().filter(r -> r.equals("GET /api/application/users")).count());
    }

    @Test
    void a429FailsTheCallAtOnceWithItsRetryAfterAsTheNextRetryDelay() {
        int id = panel.addServer("order:throttled").path("id").asInt();
        panel.throttleNext.set(1);
        panel.retryAfterSeconds = 20;
        long started = System.nanoTime();
        var e = assertThrows(PanelException.Unavailable.class, () -> client.getServer(id));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertEquals(PanelException.Unavailable.Reason.RATE_LIMITED, e.reason());
        assertEquals(Duration.ofSeconds(20), e.retryAfter().orElseThrow());
        assertTrue(took.toMillis() < 5_000, "no waiting inside the call, took " + took);
        assertEquals(1, metrics.get("panel.ratelimit.wait").tag("source", "panel").timer().count());
        assertEquals(20, metrics.get("panel.ratelimit.wait").tag("source", "panel").timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS), 0.001);

        panel.throttleNext.set(1);
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> activities.getServer(id, null));
        assertEquals(PanelFailures.UNAVAILABLE, f.getType());
        assertFalse(f.isNonRetryable());
        assertEquals(Duration.ofSeconds(20), f.getNextRetryDelay());
        assertEquals(2, metrics.get("panel.requests").tag("status", "429").timer().count());
        assertEquals(id, activities.getServer(id, null).id(), "the retry goes through");
    }

    @Test
    void anEmptyBucketFailsTheCallWithoutSendingItAndSaysWhenThereIsAPermit() {
        int id = panel.addServer("order:bucket").path("id").asInt();
        client = new PanelClient(panel.configuration(), PanelRateLimiter.local(61, 1), metrics);
        activities = new PterodactylActivitiesImpl(client);
        assertEquals(id, activities.getServer(id, null).id());
        int sent = panel.requests.size();
        long started = System.nanoTime();
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> activities.getServer(id, null));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 1_000, "no waiting for the bucket");
        assertEquals(sent, panel.requests.size(), "nothing sent to the panel");
        assertEquals(PanelFailures.UNAVAILABLE, f.getType());
        assertFalse(f.isNonRetryable());
        // 60 permits a minute refill one a second; the delay is that, plus up to as much again to spread the retries
        assertTrue(f.getNextRetryDelay() != null && f.getNextRetryDelay().compareTo(Duration.ofMillis(900)) > 0
                && f.getNextRetryDelay().compareTo(Duration.ofSeconds(2)) <= 0, String.valueOf(f.getNextRetryDelay()));
        assertEquals(1, metrics.get("panel.ratelimit.wait").tag("source", "limiter").timer().count());
    }

    @Test
    void aRetriedCreateResolvesToTheExistingServer() {
        PanelServerRef first = activities.createServer("order:42", spec(), null);
        PanelServerRef again = activities.createServer("order:42", spec(), null);
        assertEquals(first.id(), again.id());
        assertEquals(1, panel.serversWithExternalId("order:42"));
        assertTrue(first.installing());
    }

    @Test
    void aCreateThatTimesOutResolvesToTheServerThePanelMade() {
        use(panel.configuration().withReadTimeout(Duration.ofMillis(400)));
        panel.createDelayMillis = 1500;
        PanelServerRef created = activities.createServer("order:slow", spec(), null);
        assertEquals("order:slow", created.externalId());
        assertEquals(1, panel.serversWithExternalId("order:slow"));
        assertEquals(1, metrics.get("panel.requests").tag("status", "timeout").timer().count());

        // and the activity's own retry (Temporal) still ends with that one server
        PanelServerRef retried = activities.createServer("order:slow", spec(), null);
        assertEquals(created.id(), retried.id());
        assertEquals(1, panel.serversWithExternalId("order:slow"));
    }

    @Test
    void deleteFallsBackToForceWhenTheNodeIsDeadAndIsSafeToRepeat() {
        panel.addServer("order:dead");
        panel.deadNode = true;
        assertTrue(activities.deleteServer("order:dead", null));
        assertEquals(0, panel.serversWithExternalId("order:dead"));
        assertTrue(panel.requests.stream().anyMatch(r -> r.endsWith("/force")));
        assertFalse(activities.deleteServer("order:dead", null));
    }

    @Test
    void aServerThatIsGoneIsNotFoundForGood() {
        ApplicationFailure gone = assertThrows(ApplicationFailure.class, () -> activities.getServer(9999, null));
        assertEquals(PanelFailures.NOT_FOUND, gone.getType());
        assertFalse(gone.isNonRetryable());
        assertTrue(PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(gone.getType()));
    }

    @Test
    void ensurePanelUserFindsByExternalIdThenEmailThenCreates() {
        panel.addUser("cust_1", "one@example.com");
        panel.addUser(null, "two@example.com");
        assertEquals("cust_1", activities.ensurePanelUser(request("cust_1", "one@example.com"), null).externalId());
        assertEquals("two@example.com", activities.ensurePanelUser(request("cust_2", "two@example.com"), null).email());
        PanelUserRef created = activities.ensurePanelUser(request("cust_3", "three@example.com"), null);
        assertEquals("cust_3", created.externalId());
        assertEquals(created.id(), activities.ensurePanelUser(request("cust_3", "three@example.com"), null).id());
        assertEquals(3, panel.users.size());
    }

    @Test
    void panelRefusalsBecomeFailuresOfATypeTheForwardStepsTreatAsFinal() {
        ServerSpec missingVariables = new ServerSpec("n", null, 12, 3, "img", "java", Map.of("X", "y"),
                new ServerSpec.Limits(1024, 0, 1024, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), 1042, null,
                null);
        ApplicationFailure invalid = assertThrows(ApplicationFailure.class,
                () -> activities.createServer("order:bad", missingVariables, null));
        assertEquals(PanelFailures.VALIDATION, invalid.getType());
        assertFalse(invalid.isNonRetryable());
        assertTrue(PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(invalid.getType()));
        assertEquals(List.of("environment.SERVER_JARFILE:required", "environment.BUILD_NUMBER:required"),
                invalid.getDetails().get(List.class));

        ServerSpec nowhere = new ServerSpec("n", null, 12, 3, "img", "java", Map.of("SERVER_JARFILE", "s.jar"),
                new ServerSpec.Limits(1024, 0, 1024, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), null,
                List.of(), List.of());
        ApplicationFailure full = assertThrows(ApplicationFailure.class,
                () -> activities.createServer("order:full", nowhere, null));
        assertEquals(PanelFailures.NO_CAPACITY, full.getType());
        assertFalse(full.isNonRetryable());
        assertTrue(PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(full.getType()));

        use(PanelConfiguration.of(panel.url(), "ptla_wrong", null));
        ApplicationFailure denied = assertThrows(ApplicationFailure.class, () -> activities.getServer(1, null));
        assertEquals(PanelFailures.ACCESS_DENIED, denied.getType());
        assertFalse(denied.isNonRetryable());
        assertTrue(PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(denied.getType()));
    }

    @Test
    void anUnreachablePanelIsRetryable() throws Exception {
        try (FreePorts.RefusingPort down = FreePorts.refusingPort()) {
            use(PanelConfiguration.of("http://127.0.0.1:" + down.port(), "k", "k"));
            var e = assertThrows(PanelException.Unavailable.class, () -> client.getServer(1));
            assertEquals(PanelException.Unavailable.Reason.CONNECTION, e.reason());
            ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> activities.getServer(1, null));
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
