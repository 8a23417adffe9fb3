package com.admintk.orchestrator.temporal;

import com.admintk.orchestrator.common.SearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Context;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Registers the search attributes (OrderId, CustomerId, ServerId, SagaStep, OrderStatus) when the namespace lacks them. Runs in
 * the background and retries until Temporal answers, so a process can start before Temporal is up.
 */
@Context
public class SearchAttributeRegistrar {

    private static final Logger LOG = LoggerFactory.getLogger(SearchAttributeRegistrar.class);

    private final WorkflowServiceStubs stubs;
    private final TemporalSettings settings;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "search-attributes");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean registered;

    public SearchAttributeRegistrar(WorkflowServiceStubs stubs, TemporalSettings settings) {
        this.stubs = stubs;
        this.settings = settings;
    }

    @PostConstruct
    void start() {
        retry.execute(this::attempt);
    }

    public boolean registered() {
        return registered;
    }

    /** Registers now if the background attempts have not succeeded yet (a run may not use unknown attributes). */
    public void ensureRegistered() {
        if (!registered) {
            synchronized (this) {
                if (!registered) {
                    register();
                    registered = true;
                }
            }
        }
    }

    private void attempt() {
        try {
            register();
            registered = true;
        } catch (RuntimeException e) {
            LOG.info("Search attributes not registered yet ({}); retrying in 5 s", e.getMessage());
            retry.schedule(this::attempt, 5, TimeUnit.SECONDS);
        }
    }

    private void register() {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel()).validateAndBuildWithDefaults());
        Map<String, IndexedValueType> missing = new HashMap<>();
        SearchAttributes.ALL.forEach(key -> missing.put(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        try {
            ListSearchAttributesResponse existing = operator.blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(settings.namespace()).build());
            existing.getCustomAttributesMap().keySet().forEach(missing::remove);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                throw e;
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            operator.blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS).addSearchAttributes(
                    AddSearchAttributesRequest.newBuilder().setNamespace(settings.namespace())
                            .putAllSearchAttributes(missing).build());
            LOG.info("Registered search attributes {}", missing.keySet());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                LOG.warn("This Temporal server cannot register search attributes; register {} by hand", missing.keySet());
            } else if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    @PreDestroy
    void stop() {
        retry.shutdownNow();
    }
}
