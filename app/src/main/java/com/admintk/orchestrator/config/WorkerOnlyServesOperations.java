package com.admintk.orchestrator.config;

import com.admintk.orchestrator.error.ApiError;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Map;

/** A {@code worker} process answers health and metrics only; every API path is 404 there. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = Role.PROPERTY, pattern = "(?i)worker")
public class WorkerOnlyServesOperations {

    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> onlyOperations(HttpRequest<?> request) {
        String path = request.getPath();
        if (path.startsWith("/health") || path.equals("/prometheus")) {
            return null;
        }
        return HttpResponse.<ApiError>notFound().body(ApiError.of("NOT_FOUND",
                "This is a worker process: it serves /health and /prometheus only", Map.of()));
    }
}
