package com.admintk.orchestrator.server;

import java.util.List;

/** The step events of {@link ProvisionServerWorkflow} since its last batch, oldest first. */
public record ProvisionProgressBatch(List<ProvisionProgress> events) {
}
