package com.admintk.orchestrator.temporal;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import org.slf4j.MDC;

/**
 * Puts the workflow id, and the order id for order and payment runs, in the logging context of every activity
 * execution, so the JSON logs of a worker can be filtered by order (logback-json.xml includes the MDC).
 */
public final class LoggingContext extends WorkerInterceptorBase {

    public static final String WORKFLOW_ID = "workflowId";
    public static final String ORDER_ID = "orderId";
    public static final String ACTIVITY = "activity";

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            private ActivityInfo info;

            @Override
            public void init(ActivityExecutionContext context) {
                info = context.getInfo();
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                MDC.put(WORKFLOW_ID, info.getWorkflowId());
                MDC.put(ACTIVITY, info.getActivityType());
                String orderId = orderIdOf(info.getWorkflowId());
                if (orderId != null) {
                    MDC.put(ORDER_ID, orderId);
                }
                try {
                    return super.execute(input);
                } finally {
                    MDC.remove(WORKFLOW_ID);
                    MDC.remove(ACTIVITY);
                    MDC.remove(ORDER_ID);
                }
            }
        };
    }

    /** {@code order:ord_x} and {@code payment:ord_x-p1} both belong to order {@code ord_x}. */
    static String orderIdOf(String workflowId) {
        if (workflowId.startsWith("order:")) {
            return workflowId.substring("order:".length());
        }
        if (workflowId.startsWith("payment:")) {
            String payment = workflowId.substring("payment:".length());
            int attempt = payment.lastIndexOf("-p");
            return attempt > 0 ? payment.substring(0, attempt) : null;
        }
        return null;
    }
}
