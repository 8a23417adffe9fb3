package com.admintk.orchestrator.benchmarks.bare;

import com.sun.net.httpserver.HttpServer;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A worker written straight on the SDK with the orchestrator's worker settings (SDK defaults, sticky queues off
 * as the app turns them off against the test server, unless {@code BARE_STICKY=true}), running {@link OneActivityWorkflow}. Serves {@code /health/readiness} once polling.
 */
public final class BareWorker {

    private BareWorker() {
    }

    public static void main(String[] args) throws IOException {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(System.getenv("TEMPORAL_ADDRESS")).build());
        WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
        WorkerOptions.Builder options = WorkerOptions.newBuilder();
        // As the app with TEMPORAL_TEST_SERVER=true; BARE_STICKY=true keeps the SDK's sticky default, as in production.
        if (!Boolean.parseBoolean(System.getenv("BARE_STICKY"))) {
            options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
        }
        Worker worker = factory.newWorker(OneActivityWorkflow.TASK_QUEUE, options.build());
        worker.registerWorkflowImplementationTypes(OneActivityWorkflow.Impl.class);
        worker.registerActivitiesImplementations(new OneActivityWorkflow.StepImpl());
        factory.start();
        HttpServer health = HttpServer.create(new InetSocketAddress("localhost", Integer.parseInt(System.getenv("PORT"))), 0);
        health.createContext("/health/readiness", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        health.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            health.stop(0);
            factory.shutdownNow();
        }));
    }
}
