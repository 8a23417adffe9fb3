package com.admintk.orchestrator.tracing;

import com.admintk.orchestrator.error.ApiError;
import com.admintk.orchestrator.security.RequestIds;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log line per HTTP request, carrying what an operator searches by: request id, user id, order id and the trace
 * id (as MDC fields, which the JSON log writes as fields). Error bodies get the trace id as {@code details.traceId},
 * so a customer's report leads to the request's spans and log lines.
 * <p>
 * Runs inside Micronaut's tracing filter: the server span is current when the request is seen. Health and metrics
 * scrapes are not logged (they would drown the rest); their errors are.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class HttpRequestLog implements Ordered {

    public static final String USER_ID = "userId";
    public static final String ORDER_ID = "orderId";
    public static final String REQUEST_ID = "requestId";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private static final Logger LOG = LoggerFactory.getLogger("http.access");
    private static final String STARTED = "admintk.request-started";
    private static final String SPAN = "admintk.request-span";
    private static final Pattern ORDER_IN_PATH = Pattern.compile("/orders/(ord_[0-9a-f]{24})");
    private static final Pattern ORDER_IN_BODY = Pattern.compile("\"orderId\"\\s*:\\s*\"(ord_[0-9a-f]{24})\"");

    @Override
    public int getOrder() {
        return ServerFilterPhase.TRACING.after();
    }

    @RequestFilter
    public void seen(HttpRequest<?> request) {
        request.setAttribute(STARTED, System.nanoTime());
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            request.setAttribute(SPAN, span);
        }
    }

    @ResponseFilter
    public void answered(HttpRequest<?> request, MutableHttpResponse<?> response) {
        SpanContext span = request.getAttribute(SPAN, SpanContext.class).orElse(null);
        if (span != null && response.body() instanceof ApiError error) {
            response.body(error.withDetail("traceId", span.getTraceId()));
        }
        int status = response.code();
        String path = request.getPath();
        if (status < 400 && (path.startsWith("/health") || path.equals("/prometheus"))) {
            return;
        }
        long millis = request.getAttribute(STARTED, Long.class).map(t -> (System.nanoTime() - t) / 1_000_000).orElse(-1L);
        String user = request.getUserPrincipal(Authentication.class).map(Authentication::getName).orElse(null);
        String order = orderId(path, response.body());
        Map<String, String> before = MDC.getCopyOfContextMap();
        try {
            MDC.put(REQUEST_ID, RequestIds.of(request));
            putIfKnown(USER_ID, user);
            putIfKnown(ORDER_ID, order);
            if (span != null) {
                MDC.put(TRACE_ID, span.getTraceId());
                MDC.put(SPAN_ID, span.getSpanId());
            }
            LOG.info("{} {} {} {}ms{}{}", request.getMethodName(), path, status, millis,
                    user == null ? "" : " user=" + user, order == null ? "" : " order=" + order);
        } finally {
            if (before == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(before);
            }
        }
    }

    private static void putIfKnown(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    /** From the path ({@code /orders/ord_…}) or, for a checkout, from the answer that names the new order. */
    static String orderId(String path, Object body) {
        Matcher inPath = ORDER_IN_PATH.matcher(path);
        if (inPath.find()) {
            return inPath.group(1);
        }
        if (body instanceof CharSequence text && text.length() < 16_384) {
            Matcher inBody = ORDER_IN_BODY.matcher(text);
            return inBody.find() ? inBody.group(1) : null;
        }
        if (body instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (component.getName().equals("orderId") && component.getType() == String.class) {
                    try {
                        return (String) component.getAccessor().invoke(record);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
