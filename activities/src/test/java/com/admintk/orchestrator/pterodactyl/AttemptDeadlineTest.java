package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.common.TaskQueues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real activities under a real Temporal test server (real time): a panel request never runs past the attempt's
 * start-to-close, whatever the configured read timeout, so Temporal's next attempt never meets the previous one.
 */
class AttemptDeadlineTest {

    private static final Duration START_TO_CLOSE = Duration.ofSeconds(6);
    /** The panel call of both workflows: scheduled as is, or run locally through {@link StepOptions#local}. */
    static final ActivityOptions CALL = ActivityOptions.newBuilder().setTaskQueue(TaskQueues.PTERODACTYL)
            .setStartToCloseTimeout(START_TO_CLOSE)
            .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(500))
                    .setMaximumAttempts(3).build())
            .build();

    @WorkflowInterface
    public interface Create {
        @WorkflowMethod
        PanelServerRef create(String externalId);
    }

    public static class CreateImpl implements Create {
        private final PterodactylActivities panel = Workflow.newActivityStub(PterodactylActivities.class, CALL);

        @Override
        public PanelServerRef create(String externalId) {
            return panel.createServer(externalId, spec(), null);
        }
    }

    /** The same call as a local activity, which the SDK gives no started time. */
    @WorkflowInterface
    public interface LocalCreate {
        @WorkflowMethod
        PanelServerRef create(String externalId);
    }

    public static class LocalCreateImpl implements LocalCreate {
        private final PterodactylActivities panel = Workflow.newLocalActivityStub(PterodactylActivities.class,
                StepOptions.local(CALL));

        @Override
        public PanelServerRef create(String externalId) {
            return panel.createServer(externalId, spec(), null);
        }
    }

    /** One attempt as the worker ran it, and the deadline Temporal gave it. */
    record Attempt(int number, Instant started, Instant ended, Instant temporalDeadline, String outcome) {
    }

    /** The real activities, timing each attempt. */
    static class TimedActivities extends PterodactylActivitiesImpl {
        final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());

        TimedActivities(PanelClient panel) {
            super(panel);
        }

        @Override
        public PanelServerRef createServer(String externalId, ServerSpec spec, String region) {
            var info = Activity.getExecutionContext().getInfo();
            Instant started = Instant.now();
            Instant deadline = Instant.ofEpochMilli(info.isLocal() ? info.getCurrentAttemptScheduledTimestamp()
                    : info.getStartedTimestamp()).plus(info.getStartToCloseTimeout());
            String outcome = "ok";
            try {
                return super.createServer(externalId, spec, region);
            } catch (RuntimeException failed) {
                outcome = failed.getMessage();
                throw failed;
            } finally {
                attempts.add(new Attempt(info.getAttempt(), started, Instant.now(), deadline, outcome));
            }
        }
    }

    private FakePanel panel;
    private TestWorkflowEnvironment env;
    private TimedActivities activities;

    @BeforeEach
    void start() throws Exception {
        panel = new FakePanel();
        // the configured read timeout is far above the attempt's start-to-close: only the attempt bounds the request
        PanelClient client = new PanelClient(panel.configuration().withReadTimeout(Duration.ofSeconds(45)),
                PanelRateLimiter.unlimited(), new SimpleMeterRegistry());
        activities = new TimedActivities(client);
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false)
                .build());
        Worker workflows = env.newWorker("deadline");
        workflows.registerWorkflowImplementationTypes(CreateImpl.class, LocalCreateImpl.class);
        Worker panelWorker = env.newWorker(TaskQueues.PTERODACTYL);
        panelWorker.registerActivitiesImplementations(activities);
        workflows.registerActivitiesImplementations(activities);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
        panel.close();
    }

    @Test
    void aCreateThePanelAnswersLateEndsInsideItsAttemptAndTheRetryFindsTheServer() {
        panel.createDelayMillis = 20_000;   // the panel makes the server, then answers after 20 s

        PanelServerRef created = env.getWorkflowClient().newWorkflowStub(Create.class,
                WorkflowOptions.newBuilder().setTaskQueue("deadline").build()).create("order:late");

        assertEquals("order:late", created.externalId());
        assertEquals(1, panel.serversWithExternalId("order:late"), "one server");
        List<Attempt> attempts = List.copyOf(activities.attempts);
        System.out.printf("attempt deadline: start-to-close %s, read timeout 45 s, panel answers creates after 20 s;"
                + " attempts %s%n", START_TO_CLOSE, attempts);
        assertEquals(2, attempts.size(), "the first attempt gave up, the second resolved by external_id");
        Attempt first = attempts.get(0);
        assertTrue(first.ended().isBefore(first.temporalDeadline()),
                "the first attempt ended before Temporal's start-to-close: " + first);
        assertTrue(first.outcome().contains("timed out"), first.outcome());
        assertTrue(attempts.get(1).started().isAfter(first.ended()), "the attempts did not overlap");
        assertEquals(2, attempts.get(1).number());
    }

    @Test
    void aLocalActivitysPanelCallIsBoundedByItsOwnAttemptToo() {
        PanelServerRef quick = env.getWorkflowClient().newWorkflowStub(LocalCreate.class,
                WorkflowOptions.newBuilder().setTaskQueue("deadline").build()).create("order:local-quick");
        assertEquals("order:local-quick", quick.externalId(), "sent at once: the attempt has its whole time left");
        activities.attempts.clear();
        panel.createDelayMillis = 20_000;

        PanelServerRef created = env.getWorkflowClient().newWorkflowStub(LocalCreate.class,
                WorkflowOptions.newBuilder().setTaskQueue("deadline").build()).create("order:local-late");

        assertEquals("order:local-late", created.externalId());
        assertEquals(1, panel.serversWithExternalId("order:local-late"), "one server");
        List<Attempt> attempts = List.copyOf(activities.attempts);
        assertEquals(2, attempts.size(), attempts.toString());
        Attempt first = attempts.get(0);
        assertTrue(first.ended().isBefore(first.temporalDeadline()), "ended inside its start-to-close: " + first);
        assertTrue(first.outcome().contains("timed out"), first.outcome());
        assertTrue(attempts.get(1).started().isAfter(first.ended()), "the attempts did not overlap");
    }

    private static ServerSpec spec() {
        return new ServerSpec("late", null, 12, 3, "ghcr.io/pterodactyl/yolks:java_21", "java",
                Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest"),
                new ServerSpec.Limits(1024, 0, 1024, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), 1000, null,
                null);
    }
}
