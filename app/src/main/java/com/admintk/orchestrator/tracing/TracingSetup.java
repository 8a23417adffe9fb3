package com.admintk.orchestrator.tracing;

import com.admintk.orchestrator.config.Role;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.tracing.opentelemetry.OpenTelemetryBuilderCustomizer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OpenTelemetry for this process. Micronaut's tracing module builds the SDK with the SDK's autoconfiguration, so the
 * standard {@code OTEL_*} variables configure it and win over the defaults set here:
 * <ul>
 *   <li>spans leave the process (OTLP over HTTP) only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or its traces-only
 *       form) is set; without it nothing is exported, but trace ids still tie an error body to its log lines;</li>
 *   <li>{@code OTEL_SDK_DISABLED=true} turns it all off;</li>
 *   <li>metrics stay with Prometheus and logs with stdout: the SDK exports neither.</li>
 * </ul>
 * Temporal's OpenTracing interceptors, bridged to OpenTelemetry by the shim, carry the trace through workflow
 * headers from the api process to the workers and into every activity.
 */
@Factory
public class TracingSetup {

    static final String SERVICE_NAME = "admintk-orchestrator";

    @Singleton
    OpenTelemetryBuilderCustomizer orchestratorDefaults(Environment environment) {
        Map<String, String> defaults = new LinkedHashMap<>();
        boolean endpoint = environment.getProperty("otel.exporter.otlp.endpoint", String.class).filter(s -> !s.isBlank()).isPresent()
                || environment.getProperty("otel.exporter.otlp.traces.endpoint", String.class).filter(s -> !s.isBlank()).isPresent();
        defaults.put("otel.traces.exporter", endpoint ? "otlp" : "none");
        // OTLP over HTTP (Jaeger and collectors listen on 4318): no gRPC channel for the exporter.
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        String role = environment.getProperty(Role.PROPERTY, String.class).orElse("api").trim().toLowerCase(Locale.ROOT);
        // One service per role, so the trace view shows which process a span ran in.
        defaults.put("otel.service.name", SERVICE_NAME + "-" + role);
        return builder -> builder.addPropertiesSupplier(() -> defaults);
    }

    @Singleton
    TemporalTracing temporalTracing(OpenTelemetry openTelemetry) {
        OpenTracingOptions options = OpenTracingOptions.newBuilder()
                .setTracer(OpenTracingShim.createTracerShim(openTelemetry))
                .build();
        return new TemporalTracing(new OpenTracingClientInterceptor(options), new OpenTracingWorkerInterceptor(options));
    }

    /** The interceptors for the workflow client (workflow start, signals, queries) and for the workers. */
    public record TemporalTracing(OpenTracingClientInterceptor client, OpenTracingWorkerInterceptor worker) {
    }
}
