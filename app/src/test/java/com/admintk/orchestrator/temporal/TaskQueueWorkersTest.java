package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.testing.TestApp;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A worker with the default configuration polls exactly the queues that have work registered on them. */
class TaskQueueWorkersTest {

    @Test
    void everyDefaultTaskQueueHasWorkAndEveryQueueWithWorkIsPolledByDefault() {
        try (TestApp worker = TestApp.start("worker")) {
            Set<String> polled = worker.bean(TemporalSettings.class).taskQueues().stream().map(String::trim)
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> withWork = worker.context().getBeansOfType(TaskQueueWorker.class).stream()
                    .map(TaskQueueWorker::taskQueue).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(withWork, polled, "default WORKER_TASK_QUEUES against the queues something registers on");
            assertEquals(new TreeSet<>(TaskQueues.ALL), polled, "the queues a worker accepts are the ones it can serve");
            assertEquals(List.of(), polled.stream().filter(queue -> !TaskQueues.ALL.contains(queue)).toList());
        }
    }
}
