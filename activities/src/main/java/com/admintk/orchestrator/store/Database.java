package com.admintk.orchestrator.store;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.bson.Document;

/** The application database named in {@code mongodb.uri}. */
@Singleton
public class Database {

    private final MongoDatabase database;

    public Database(MongoClient client, @Value("${mongodb.uri}") String uri) {
        this.database = client.getDatabase(new ConnectionString(uri).getDatabase());
    }

    public MongoCollection<Document> collection(String name) {
        return database.getCollection(name);
    }

    public MongoDatabase mongo() {
        return database;
    }

    public String name() {
        return database.getName();
    }

    public static boolean isDuplicateKey(MongoWriteException e) {
        return e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
    }
}
