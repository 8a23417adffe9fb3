package com.admintk.orchestrator.benchmarks.bare;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jakarta.annotation.PreDestroy;
import org.bson.Document;

import java.time.Duration;

/** The three connections the orchestrator needs before it is ready, opened as eagerly as it opens them. */
@Context
@Requires(property = BareApp.MARKER, value = "true")
public class Connections {

    private final WorkflowServiceStubs temporal;
    private final MongoClient mongo;
    private final RedisClient redis;
    private final StatefulRedisConnection<String, String> redisConnection;

    public Connections() {
        temporal = WorkflowServiceStubs.newConnectedServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(System.getenv("TEMPORAL_ADDRESS")).build(), Duration.ofSeconds(30));
        mongo = MongoClients.create(System.getenv("MONGODB_URI"));
        mongo.getDatabase("bare").runCommand(new Document("ping", 1));
        redis = RedisClient.create(System.getenv("REDIS_URI"));
        redisConnection = redis.connect();
        redisConnection.sync().ping();
    }

    @PreDestroy
    void close() {
        redisConnection.close();
        redis.shutdown();
        mongo.close();
        temporal.shutdownNow();
    }
}
