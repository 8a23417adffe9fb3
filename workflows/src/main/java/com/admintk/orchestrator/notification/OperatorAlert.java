package com.admintk.orchestrator.notification;

import java.util.List;

/**
 * Something only a human can finish, sent to the operators. {@code kind} is a stable UPPER_SNAKE name (also the audit
 * action), {@code problems} the failures that made the saga give up, and the ids say where to look: the run in the
 * Web UI, the server on the panel by {@code externalId}, the payment to refund.
 */
public record OperatorAlert(String kind,
                            String orderId,
                            String workflowId,
                            String customerId,
                            String summary,
                            List<String> problems,
                            String panelExternalId,
                            String paymentId,
                            boolean serverDeleted,
                            boolean refunded) {

    /** An order's undo gave up: a server may be orphaned or a charge kept. */
    public static final String COMPENSATION_FAILED = "COMPENSATION_FAILED";
    /** A server's suspend, unsuspend or termination gave up on the panel: the panel and the store disagree. */
    public static final String SERVER_ACTION_FAILED = "SERVER_ACTION_FAILED";
}
