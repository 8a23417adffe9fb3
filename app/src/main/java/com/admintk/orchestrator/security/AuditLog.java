package com.admintk.orchestrator.security;

import com.admintk.orchestrator.identity.AuditRepository;
import com.admintk.orchestrator.identity.AuditRepository.AuditEntry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Map;

/**
 * The append-only audit log that every critical action goes to. Call it after the action with the result:
 * <pre>{@code auditLog.record(request, who, AuditLog.Actions.ORDER_CREATED, "order:" + id, AuditLog.SUCCESS, workflowId, Map.of())}</pre>
 */
@Singleton
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";
    public static final String DENIED = "DENIED";

    /** Action names in use; others may add their own UPPER_SNAKE names. */
    public static final class Actions {
        public static final String LOGIN = "LOGIN";
        public static final String LOGIN_FAILED = "LOGIN_FAILED";
        /** The password of an admin was right; the second factor is owed. */
        public static final String LOGIN_SECOND_FACTOR_REQUIRED = "LOGIN_SECOND_FACTOR_REQUIRED";
        public static final String TOTP_ENROLMENT_STARTED = "TOTP_ENROLMENT_STARTED";
        public static final String TOTP_ENROLLED = "TOTP_ENROLLED";
        public static final String TOKEN_REFRESHED = "TOKEN_REFRESHED";
        public static final String TOKEN_REVOKED = "TOKEN_REVOKED";
        public static final String TOKEN_REUSE_DETECTED = "TOKEN_REUSE_DETECTED";
        public static final String ROLES_CHANGED = "ROLES_CHANGED";
        public static final String USER_CREATED = "USER_CREATED";
        public static final String WEBHOOK_REJECTED = "WEBHOOK_REJECTED";
        public static final String WEBHOOK_RECEIVED = "WEBHOOK_RECEIVED";
        public static final String ORDER_CREATED = "ORDER_CREATED";
        public static final String ORDER_CANCELLED = "ORDER_CANCELLED";
        public static final String ORDER_RETRIED = "ORDER_RETRIED";
        public static final String CAPACITY_ADDED = "CAPACITY_ADDED";
        public static final String WALLET_CREDIT = "WALLET_CREDIT";
        public static final String WALLET_TOP_UP = "WALLET_TOP_UP";
        public static final String PAYMENT = "PAYMENT";
        public static final String SERVER_SUSPENDED = "SERVER_SUSPENDED";
        public static final String SERVER_UNSUSPENDED = "SERVER_UNSUSPENDED";
        public static final String SERVER_TERMINATED = "SERVER_TERMINATED";
        public static final String SERVER_POWER = "SERVER_POWER";
        public static final String FILE_WRITTEN = "FILE_WRITTEN";
        public static final String ADMIN_CHANGE = "ADMIN_CHANGE";

        private Actions() {
        }
    }

    private final AuditRepository repository;
    private final ClientIp clientIp;

    public AuditLog(AuditRepository repository, ClientIp clientIp) {
        this.repository = repository;
        this.clientIp = clientIp;
    }

    /** An action taken in an HTTP request: actor, role, IP and request id come from the request. */
    public void record(@Nullable HttpRequest<?> request, @Nullable Authentication who, String action, @Nullable String target,
                       String result, @Nullable String workflowId, @Nullable Map<String, Object> details) {
        String actor = who == null ? "anonymous" : who.getName();
        String role = who == null ? null : String.join(",", who.getRoles());
        record(actor, role, action, target, result, request == null ? null : clientIp.of(request),
                request == null ? null : RequestIds.of(request), workflowId, details);
    }

    /** An action in an HTTP request by an actor that is not (yet) authenticated, e.g. a failed login. */
    public void recordAs(HttpRequest<?> request, String actor, String action, @Nullable String target, String result,
                         @Nullable Map<String, Object> details) {
        record(actor, null, action, target, result, clientIp.of(request), RequestIds.of(request), null, details);
    }

    /** An action outside a request (workers, webhooks, schedulers). */
    public void record(String actor, @Nullable String actorRole, String action, @Nullable String target, String result,
                       @Nullable String ip, @Nullable String requestId, @Nullable String workflowId,
                       @Nullable Map<String, Object> details) {
        AuditEntry entry = new AuditEntry(null, Instant.now(), actor, actorRole, action, target, result, ip, requestId,
                workflowId, details == null ? Map.of() : details);
        repository.insert(entry);
        LOG.info("audit action={} actor={} target={} result={} workflowId={}", action, actor, target, result, workflowId);
    }
}
