package com.admintk.orchestrator.health;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * Bounds every MongoDB call by {@link DependencyTimeouts}: with the store down a request fails within the server
 * selection timeout and the API answers 503 {@code STORE_UNAVAILABLE}, instead of waiting the driver's 30 s. A value
 * set in {@code MONGODB_URI} itself ({@code serverSelectionTimeoutMS}, {@code connectTimeoutMS},
 * {@code socketTimeoutMS}) wins: the operator asked for it.
 */
@Singleton
public class MongoClientTimeouts implements BeanCreatedEventListener<MongoClientSettings> {

    private final DependencyTimeouts timeouts;
    private final ConnectionString uri;

    public MongoClientTimeouts(DependencyTimeouts timeouts, @Value("${mongodb.uri}") String uri) {
        this.timeouts = timeouts;
        this.uri = new ConnectionString(uri);
    }

    @Override
    public MongoClientSettings onCreated(BeanCreatedEvent<MongoClientSettings> event) {
        long selection = timeouts.mongoServerSelection().toMillis();
        long socket = timeouts.mongoSocket().toMillis();
        return MongoClientSettings.builder(event.getBean())
                .applyToClusterSettings(cluster -> {
                    if (uri.getServerSelectionTimeout() == null) {
                        cluster.serverSelectionTimeout(selection, TimeUnit.MILLISECONDS);
                    }
                })
                .applyToSocketSettings(sockets -> {
                    if (uri.getConnectTimeout() == null) {
                        sockets.connectTimeout(Math.toIntExact(selection), TimeUnit.MILLISECONDS);
                    }
                    if (uri.getSocketTimeout() == null) {
                        sockets.readTimeout(Math.toIntExact(socket), TimeUnit.MILLISECONDS);
                    }
                })
                .build();
    }
}
