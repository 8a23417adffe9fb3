package com.admintk.orchestrator.identity;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.Map;

/**
 * Service accounts (the store) authenticate with {@code X-Api-Key}. The key is looked up by its SHA-256; an unknown
 * key authenticates nobody, so protected routes answer 401.
 */
@Singleton
public class ApiKeyAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {

    public static final String HEADER = "X-Api-Key";

    // Resolved on first use: this fetcher sits in front of every request, /health included, and the user store
    // talks to MongoDB when it is created. Liveness must not wait for MongoDB.
    private final BeanProvider<UserService> users;

    public ApiKeyAuthenticationFetcher(BeanProvider<UserService> users) {
        this.users = users;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        String key = request.getHeaders().get(HEADER);
        if (key == null || key.isBlank() || key.length() > 256) {
            return Publishers.empty();
        }
        return Mono.fromCallable(() -> users.get().findServiceAccount(key)
                        .map(account -> Authentication.build(account.id(), new ArrayList<>(account.roles()),
                                Map.of("name", account.name(), "kind", "service")))
                        .orElse(null))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
