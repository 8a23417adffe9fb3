package com.admintk.orchestrator.error;

import com.mongodb.MongoException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.temporal.client.WorkflowException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver exceptions that usually mean a dependency is down, answered by {@link DependencyOutages}; anything else
 * of the same types is an internal error. Wrapped outages that reach Micronaut's default handling are caught by
 * {@link ApiErrorResponseProcessor} the same way.
 */
final class DependencyOutageHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DependencyOutageHandler.class);

    private DependencyOutageHandler() {
    }

    static HttpResponse<ApiError> handle(HttpRequest<?> request, RuntimeException failure) {
        ApiException answer = DependencyOutages.of(failure).orElse(null);
        if (answer == null) {
            LOG.error("{} {} failed", request.getMethod(), request.getPath(), failure);
            return HttpResponse.<ApiError>serverError().body(ApiError.of("INTERNAL_ERROR", "Internal error", null));
        }
        LOG.warn("{} {}: {} ({})", request.getMethod(), request.getPath(), answer.code(), rootMessage(failure));
        return ApiExceptionHandler.render(answer);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    }

    @Singleton
    @Produces
    @Requires(classes = {MongoException.class, ExceptionHandler.class})
    static class Store implements ExceptionHandler<MongoException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, MongoException exception) {
            return DependencyOutageHandler.handle(request, exception);
        }
    }

    /** Starts, signals, cancels (WorkflowServiceException) and queries (WorkflowQueryException, a WorkflowException). */
    @Singleton
    @Produces
    @Requires(classes = {WorkflowException.class, ExceptionHandler.class})
    static class Orchestration implements ExceptionHandler<WorkflowException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, WorkflowException exception) {
            return DependencyOutageHandler.handle(request, exception);
        }
    }

    /** A Temporal call outside the client's wrappers (describe, operator stubs): the raw gRPC status. */
    @Singleton
    @Produces
    @Requires(classes = {io.grpc.StatusRuntimeException.class, ExceptionHandler.class})
    static class Grpc implements ExceptionHandler<io.grpc.StatusRuntimeException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, io.grpc.StatusRuntimeException exception) {
            return DependencyOutageHandler.handle(request, exception);
        }
    }

    /** Redis failures a feature did not decide to degrade on. */
    @Singleton
    @Produces
    @Requires(classes = {io.lettuce.core.RedisException.class, ExceptionHandler.class})
    static class SharedState implements ExceptionHandler<io.lettuce.core.RedisException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, io.lettuce.core.RedisException exception) {
            return DependencyOutageHandler.handle(request, exception);
        }
    }
}
