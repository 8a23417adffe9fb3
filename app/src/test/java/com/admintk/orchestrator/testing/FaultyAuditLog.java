package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.identity.AuditRepository;
import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.security.ClientIp;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit log with a planted outage: {@link #failNext(String, int)} makes the next records of an action throw, as
 * an audit store that is down would. Only in apps started with {@code test.audit-faults=true}.
 */
@Singleton
@Replaces(AuditLog.class)
@Requires(env = "test")
@Requires(property = "test.audit-faults", value = "true")
public class FaultyAuditLog extends AuditLog {

    private final AtomicInteger failures = new AtomicInteger();
    private volatile String failingAction;

    public FaultyAuditLog(AuditRepository repository, ClientIp clientIp) {
        super(repository, clientIp);
    }

    public void failNext(String action, int times) {
        failingAction = action;
        failures.set(times);
    }

    @Override
    public void record(@Nullable HttpRequest<?> request, @Nullable Authentication who, String action,
                       @Nullable String target, String result, @Nullable String workflowId,
                       @Nullable Map<String, Object> details) {
        if (action.equals(failingAction) && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("planted audit outage for " + action);
        }
        super.record(request, who, action, target, result, workflowId, details);
    }
}
