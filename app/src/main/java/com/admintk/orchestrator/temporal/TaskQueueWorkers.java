package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.config.RunsWorkers;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.order.OrderActivities;
import com.admintk.orchestrator.order.OrderProvisioningWorkflowImpl;
import com.admintk.orchestrator.payment.PaymentActivities;
import com.admintk.orchestrator.payment.PaymentWorkflowImpl;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import com.admintk.orchestrator.server.ServerActivities;
import com.admintk.orchestrator.server.ServerLifecycleWorkflowImpl;
import com.admintk.orchestrator.server.SuspendServerWorkflowImpl;
import com.admintk.orchestrator.server.ProvisionServerWorkflowImpl;
import com.admintk.orchestrator.server.TerminateServerWorkflowImpl;
import com.admintk.orchestrator.server.UnsuspendServerWorkflowImpl;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.temporal.worker.Worker;
import jakarta.inject.Singleton;

import java.util.function.Consumer;

/** What each task queue runs: workflows on {@code orchestration}, each activity family on its own queue. */
@Factory
@Requires(condition = RunsWorkers.class)
class TaskQueueWorkers {

    @Singleton
    TaskQueueWorker orchestration(OrderActivities orderActivities, ServerActivities serverActivities) {
        return queue(TaskQueues.ORCHESTRATION, worker -> {
            worker.registerWorkflowImplementationTypes(OrderProvisioningWorkflowImpl.class, PaymentWorkflowImpl.class,
                    ServerLifecycleWorkflowImpl.class, SuspendServerWorkflowImpl.class,
                    UnsuspendServerWorkflowImpl.class, TerminateServerWorkflowImpl.class,
                    ProvisionServerWorkflowImpl.class);
            worker.registerActivitiesImplementations(orderActivities, serverActivities);
        });
    }

    @Singleton
    TaskQueueWorker pterodactyl(PterodactylActivities panel) {
        return queue(TaskQueues.PTERODACTYL, worker -> worker.registerActivitiesImplementations(panel));
    }

    @Singleton
    @Requires(beans = PaymentActivities.class)
    TaskQueueWorker payments(PaymentActivities payments) {
        return queue(TaskQueues.PAYMENTS, worker -> worker.registerActivitiesImplementations(payments));
    }

    @Singleton
    @Requires(beans = NotificationActivities.class)
    TaskQueueWorker notifications(NotificationActivities notifications) {
        return queue(TaskQueues.NOTIFICATIONS, worker -> worker.registerActivitiesImplementations(notifications));
    }

    private static TaskQueueWorker queue(String name, Consumer<Worker> registration) {
        return new TaskQueueWorker() {
            @Override
            public String taskQueue() {
                return name;
            }

            @Override
            public void register(Worker worker) {
                registration.accept(worker);
            }
        };
    }
}
