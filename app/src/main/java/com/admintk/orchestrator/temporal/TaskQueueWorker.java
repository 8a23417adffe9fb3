package com.admintk.orchestrator.temporal;

import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;

/**
 * What runs on one task queue. Each capability contributes a bean; the {@link WorkerBootstrap} creates a worker
 * for every configured queue and lets the beans for that queue register on it.
 */
public interface TaskQueueWorker {

    String taskQueue();

    void register(Worker worker);

    /** Per-queue tuning (rate limits, concurrency). */
    default WorkerOptions.Builder tune(WorkerOptions.Builder options) {
        return options;
    }
}
