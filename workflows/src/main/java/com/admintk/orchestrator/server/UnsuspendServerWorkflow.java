package com.admintk.orchestrator.server;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The reverse of {@link SuspendServerWorkflow}: panel unsuspend, store record active, customer told. */
@WorkflowInterface
public interface UnsuspendServerWorkflow {

    @WorkflowMethod
    void unsuspend(ServerAction action);
}
