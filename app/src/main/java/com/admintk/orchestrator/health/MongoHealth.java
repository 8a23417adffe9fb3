package com.admintk.orchestrator.health;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import io.micronaut.context.annotation.Value;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Duration;
import java.util.Map;

@Singleton
@Readiness
public class MongoHealth extends DependencyHealth {

    private final MongoClient client;
    private final String database;

    public MongoHealth(MongoClient client, @Value("${mongodb.uri}") String uri) {
        super("mongodb", Duration.ofSeconds(3));
        this.client = client;
        this.database = new ConnectionString(uri).getDatabase();
    }

    @Override
    protected Map<String, Object> probe() {
        client.getDatabase(database).runCommand(new Document("ping", 1));
        return Map.of("database", database);
    }
}
