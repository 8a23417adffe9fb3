package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.config.RunsWorkers;
import com.admintk.orchestrator.capacity.CapacityActivities;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.order.OrderActivities;
import com.admintk.orchestrator.order.OrderProvisioningWorkflowImpl;
import com.admintk.orchestrator.payment.PaymentActivities;
import com.admintk.orchestrator.payment.PaymentWorkflowImpl;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import com.admintk.orchestrator.reconciliation.ReconciliationActivities;
import com.admintk.orchestrator.reconciliation.ReconciliationPanelActivities;
import com.admintk.orchestrator.reconciliation.ReconciliationWorkflowImpl;
import com.admintk.orchestrator.server.InstallWatchActivities;
import com.admintk.orchestrator.server.LiveSessionActivities;
import com.admintk.orchestrator.server.ServerActivities;
import com.admintk.orchestrator.server.ServerLifecycleWorkflowImpl;
import com.admintk.orchestrator.server.ServerResourceAlertWorkflowImpl;
import com.admintk.orchestrator.server.SuspendServerWorkflowImpl;
import com.admintk.orchestrator.server.ProvisionServerWorkflowImpl;
import com.admintk.orchestrator.server.TerminateServerWorkflowImpl;
import com.admintk.orchestrator.server.UnsuspendServerWorkflowImpl;
import com.admintk.orchestrator.wallet.TopUpActivities;
import com.admintk.orchestrator.wallet.WalletActivities;
import com.admintk.orchestrator.wallet.WalletTopUpWorkflowImpl;
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
    TaskQueueWorker orchestration(OrderActivities orderActivities, ServerActivities serverActivities,
                                  TopUpActivities topUpActivities, LiveSessionActivities liveSessions,
                                  InstallWatchActivities installWatch, CapacityActivities capacity) {
        return queue(TaskQueues.ORCHESTRATION, worker -> {
            worker.registerWorkflowImplementationTypes(OrderProvisioningWorkflowImpl.class, PaymentWorkflowImpl.class,
                    ServerLifecycleWorkflowImpl.class, SuspendServerWorkflowImpl.class,
                    UnsuspendServerWorkflowImpl.class, TerminateServerWorkflowImpl.class,
                    com.admintk.orchestrator.server.ChangeServerBuildWorkflowImpl.class,
                    com.admintk.orchestrator.server.ReinstallServerWorkflowImpl.class,
                    ProvisionServerWorkflowImpl.class, ServerResourceAlertWorkflowImpl.class);
            worker.registerWorkflowImplementationTypes(WalletTopUpWorkflowImpl.class);
            worker.registerActivitiesImplementations(orderActivities, serverActivities);
            worker.registerActivitiesImplementations(topUpActivities);
            // a Redis publish, not a panel call: beside the server records, outside the panel's rate limit
            worker.registerActivitiesImplementations(liveSessions);
            // Redis writes too: the install watch list, kept off the panel queue and its rate limit
            worker.registerActivitiesImplementations(installWatch);
            // The sagas' reservation calls also run here, as local activities of their workflow tasks (Redis). The
            // panel queue keeps them too, for runs that scheduled them before (and the provision child's re-pick).
            worker.registerActivitiesImplementations(capacity);
        });
    }

    @Singleton
    TaskQueueWorker pterodactyl(PterodactylActivities panel, CapacityActivities capacity) {
        return queue(TaskQueues.PTERODACTYL, worker -> worker.registerActivitiesImplementations(panel, capacity));
    }

    /** Reconciliation's panel calls share the panel queue, and so its global rate limit. */
    @Singleton
    TaskQueueWorker pterodactylReconciliation(ReconciliationPanelActivities panel) {
        return queue(TaskQueues.PTERODACTYL, worker -> worker.registerActivitiesImplementations(panel));
    }

    /** Low priority: the reconciliation loop and its store calls, apart from the sagas' workflow tasks. */
    @Singleton
    TaskQueueWorker maintenance(ReconciliationActivities reconciliation) {
        return queue(TaskQueues.MAINTENANCE, worker -> {
            worker.registerWorkflowImplementationTypes(ReconciliationWorkflowImpl.class);
            worker.registerActivitiesImplementations(reconciliation);
        });
    }

    @Singleton
    @Requires(beans = PaymentActivities.class)
    TaskQueueWorker payments(PaymentActivities payments, WalletActivities wallet) {
        return queue(TaskQueues.PAYMENTS, worker -> worker.registerActivitiesImplementations(payments, wallet));
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
