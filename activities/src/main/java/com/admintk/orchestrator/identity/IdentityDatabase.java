package com.admintk.orchestrator.identity;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.bson.Document;

/** The database named in {@code mongodb.uri}, where users, refresh tokens and the audit log live. */
@Singleton
public class IdentityDatabase {

    private final MongoClient client;
    private final String database;

    public IdentityDatabase(MongoClient client, @Value("${mongodb.uri}") String uri) {
        this.client = client;
        this.database = new ConnectionString(uri).getDatabase();
    }

    public MongoCollection<Document> collection(String name) {
        return client.getDatabase(database).getCollection(name);
    }

    public String name() {
        return database;
    }
}
