package com.admintk.orchestrator.server;

import com.admintk.orchestrator.capacity.CapacityDemand;
import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.order.PlanPorts;
import com.admintk.orchestrator.pterodactyl.PanelUserRequest;
import com.admintk.orchestrator.pterodactyl.ServerSpec;

/**
 * Input of {@link ProvisionServerWorkflow}. {@code spec.panelUserId()} is filled in by the child once the panel user
 * is ensured. The install timings are the order's ({@code OrderOptions}, defaults applied). {@code progressWorkflowId}
 * is told each step ({@link ProvisionServerWorkflow#PROGRESS_SIGNAL}); null tells nobody.
 * {@code forceDeleteAfterSeconds} and {@code nodeRecheckSeconds} rule the undo on a dead node as they rule a
 * termination (the order's {@link LifecyclePolicy}; zero takes its defaults). {@code region} is the panel every call
 * goes to (null: the default region, as for children started before regions).
 *
 * <p>A server is created on {@code reservation}'s allocations (several for a plan of several {@code ports}), and
 * {@code demand} says what to look for when the panel refuses one of them as taken; null when the order holds no
 * reservation (and in requests recorded before them). {@code ports} is null for a plan of one allocation.
 */
public record ProvisionRequest(String orderId,
                               int attempt,
                               String externalId,
                               PanelUserRequest panelUser,
                               ServerSpec spec,
                               long installDeadlineSeconds,
                               long installPollInitialSeconds,
                               long installPollMaxSeconds,
                               String progressWorkflowId,
                               long forceDeleteAfterSeconds,
                               long nodeRecheckSeconds,
                               PlanPorts ports,
                               CapacityReservation reservation,
                               CapacityDemand demand,
                               String region) {

    /** The shape recorded before several ports and regions: the default region. */
    public ProvisionRequest(String orderId, int attempt, String externalId, PanelUserRequest panelUser,
                            ServerSpec spec, long installDeadlineSeconds, long installPollInitialSeconds,
                            long installPollMaxSeconds, String progressWorkflowId, long forceDeleteAfterSeconds,
                            long nodeRecheckSeconds) {
        this(orderId, attempt, externalId, panelUser, spec, installDeadlineSeconds, installPollInitialSeconds,
                installPollMaxSeconds, progressWorkflowId, forceDeleteAfterSeconds, nodeRecheckSeconds, null, null,
                null, null);
    }

    /** Whether the server is made on reserved allocations (one or several) that may be picked again if taken. */
    public boolean onReservedAllocations() {
        return reservation != null && reservation.placed() && demand != null;
    }

    /** Whether the server is made on several reserved allocations. */
    public boolean severalPorts() {
        return PlanPorts.multiple(ports) && reservation != null && reservation.placed() && demand != null;
    }
}
