package com.admintk.orchestrator.error;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

@Singleton
@Produces
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ApiException exception) {
        return render(exception);
    }

    static HttpResponse<ApiError> render(ApiException exception) {
        MutableHttpResponse<ApiError> response = HttpResponse.<ApiError>status(exception.status())
                .body(ApiError.of(exception.code(), exception.getMessage(), exception.details()));
        exception.headers().forEach(response::header);
        return response;
    }
}
