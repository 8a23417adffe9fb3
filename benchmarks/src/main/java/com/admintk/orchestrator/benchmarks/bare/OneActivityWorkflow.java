package com.admintk.orchestrator.benchmarks.bare;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

import java.time.Duration;

/** The saga-efficiency baseline: a workflow that runs one activity, the least a Temporal workflow can do. */
@WorkflowInterface
public interface OneActivityWorkflow {

    String TASK_QUEUE = "bench-one-activity";

    @WorkflowMethod
    String run(String input);

    @ActivityInterface
    interface Step {
        String step(String input);
    }

    class Impl implements OneActivityWorkflow {
        private final Step step = Workflow.newActivityStub(Step.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

        @Override
        public String run(String input) {
            return step.step(input);
        }
    }

    class StepImpl implements Step {
        @Override
        public String step(String input) {
            return input;
        }
    }
}
