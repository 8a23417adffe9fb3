package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.health.DependencyTimeouts;
import com.admintk.orchestrator.security.PayloadEncryptionCodec;
import com.admintk.orchestrator.tracing.TracingSetup.TemporalTracing;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The Temporal connection. Stubs connect lazily, so the app starts (and reports not ready) while Temporal is down.
 * Every payload is encrypted by {@link PayloadEncryptionCodec}; the workers of {@link WorkerBootstrap} are built
 * from this client and so use the same converter.
 */
@Factory
public class TemporalClientFactory {

    @Singleton
    @Bean(preDestroy = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(TemporalSettings settings, MeterRegistry registry) {
        Scope metrics = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(settings.target())
                .setMetricsScope(metrics)
                .build());
    }

    @Singleton
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalSettings settings, DataConverter converter,
                                  TemporalTracing tracing, DependencyTimeouts timeouts) {
        // Tracing: a workflow start joins the caller's trace and hands it on in the workflow's headers.
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace(settings.namespace())
                .setDataConverter(converter)
                .setInterceptors(tracing.client(), new CallDeadline(timeouts.temporalCall()))
                .build());
    }

    /**
     * The default JSON converter with encryption around it. Failure messages and stack traces are encoded too
     * ({@code encodeFailureAttributes}): a panel or Stripe error can quote what was sent.
     */
    @Singleton
    DataConverter dataConverter(PayloadEncryptionCodec codec) {
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec), true);
    }
}
