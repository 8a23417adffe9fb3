package com.admintk.orchestrator.temporal;

import io.grpc.Context;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptor;
import io.temporal.common.interceptors.WorkflowClientCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowClientInterceptorBase;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A deadline around each Temporal client call that a person waits for: start, signal, query, cancel, terminate,
 * describe, update (a query gets twice as long: a worker replays the run to answer it). The SDK retries an unreachable frontend for up to a minute by default; under a gRPC context
 * deadline it stops at the deadline with DEADLINE_EXCEEDED, which the API answers 503
 * {@code ORCHESTRATION_UNAVAILABLE}. Waiting for a result ({@code getResult}) is a long poll and keeps its own timeout.
 */
final class CallDeadline extends WorkflowClientInterceptorBase {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "temporal-call-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration deadline;

    CallDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public WorkflowClientCallsInterceptor workflowClientCallsInterceptor(WorkflowClientCallsInterceptor next) {
        return new Bounded(next);
    }

    /** Runs {@code call} under the deadline; an earlier deadline of the caller's context stays in force. */
    private <T> T within(Supplier<T> call) {
        return within(deadline, call);
    }

    private static <T> T within(Duration deadline, Supplier<T> call) {
        Context.CancellableContext bounded = Context.current()
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS, TIMER);
        Context previous = bounded.attach();
        try {
            return call.get();
        } finally {
            bounded.detach(previous);
            bounded.cancel(null);
        }
    }

    private final class Bounded extends WorkflowClientCallsInterceptorBase {

        Bounded(WorkflowClientCallsInterceptor next) {
            super(next);
        }

        @Override
        public WorkflowStartOutput start(WorkflowStartInput input) {
            return within(() -> super.start(input));
        }

        @Override
        public WorkflowSignalOutput signal(WorkflowSignalInput input) {
            return within(() -> super.signal(input));
        }

        @Override
        public WorkflowSignalWithStartOutput signalWithStart(WorkflowSignalWithStartInput input) {
            return within(() -> super.signalWithStart(input));
        }

        @Override
        public <R> QueryOutput<R> query(QueryInput<R> input) {
            // A query waits for a worker to replay the run: on a busy worker that takes longer than a start.
            return within(deadline.multipliedBy(2), () -> super.query(input));
        }

        @Override
        public <R> WorkflowUpdateHandle<R> startUpdate(StartUpdateInput<R> input) {
            return within(() -> super.startUpdate(input));
        }

        @Override
        public CancelOutput cancel(CancelInput input) {
            return within(() -> super.cancel(input));
        }

        @Override
        public TerminateOutput terminate(TerminateInput input) {
            return within(() -> super.terminate(input));
        }

        @Override
        public DescribeWorkflowOutput describe(DescribeWorkflowInput input) {
            return within(() -> super.describe(input));
        }
    }
}
