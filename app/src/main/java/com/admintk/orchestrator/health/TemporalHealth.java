package com.admintk.orchestrator.health;

import com.admintk.orchestrator.temporal.TemporalSettings;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

@Singleton
@Readiness
public class TemporalHealth extends DependencyHealth {

    private final WorkflowServiceStubs stubs;
    private final TemporalSettings settings;

    public TemporalHealth(WorkflowServiceStubs stubs, TemporalSettings settings) {
        super("temporal", Duration.ofSeconds(3));
        this.stubs = stubs;
        this.settings = settings;
    }

    @Override
    protected Map<String, Object> probe() {
        try {
            stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            // A server that answers "unimplemented" is up: only transport failures mean unreachable.
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw e;
            }
        }
        return Map.of("target", settings.target(), "namespace", settings.namespace());
    }
}
