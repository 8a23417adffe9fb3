package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.config.RunsWorkers;
import com.admintk.orchestrator.tracing.TracingSetup.TemporalTracing;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the Temporal workers of this process (roles {@code worker} and {@code dev}) and stops them gracefully:
 * on shutdown the pollers stop first, in-flight tasks get {@code temporal.shutdown-grace} to finish, and whatever
 * is still running after that is abandoned to Temporal, which hands it to another worker after its timeout.
 */
@Context
@Requires(condition = RunsWorkers.class)
public class WorkerBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerBootstrap.class);

    private final WorkerFactory factory;
    private final TemporalSettings settings;

    public WorkerBootstrap(WorkflowClient client, TemporalSettings settings, List<TaskQueueWorker> contributions,
                           TemporalTracing tracing) {
        this.settings = settings;
        // Tracing: workflow runs and activity executions continue the trace their headers carry.
        this.factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(new LoggingContext(), tracing.worker()).build());
        for (String queue : settings.taskQueues()) {
            String name = queue.trim();
            List<TaskQueueWorker> onQueue = contributions.stream().filter(c -> c.taskQueue().equals(name)).toList();
            WorkerOptions.Builder options = WorkerOptions.newBuilder();
            if (settings.testServer()) {
                // The Java test server never times out sticky queues: a restarted worker would wait forever on
                // workflows whose sticky queue belonged to the dead process.
                options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
            }
            for (TaskQueueWorker contribution : onQueue) {
                options = contribution.tune(options);
            }
            Worker worker = factory.newWorker(name, options.build());
            onQueue.forEach(contribution -> contribution.register(worker));
            LOG.info("Worker for task queue '{}' with {} registration(s)", name, onQueue.size());
        }
    }

    @PostConstruct
    void start() {
        factory.start();
        LOG.info("Temporal workers polling {} on {}", settings.taskQueues(), settings.target());
    }

    @PreDestroy
    void stop() throws InterruptedException {
        LOG.info("Stopping Temporal workers: no new tasks, waiting up to {} for in-flight ones", settings.shutdownGrace());
        factory.shutdown();
        factory.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        if (!factory.isTerminated()) {
            LOG.warn("In-flight tasks did not finish in time; handing them back to Temporal");
            factory.shutdownNow();
            factory.awaitTermination(5, TimeUnit.SECONDS);
        }
        LOG.info("Temporal workers stopped");
    }

    public WorkerFactory factory() {
        return factory;
    }
}
