package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Machine accounts (the store) keyed by the SHA-256 of their API key: the key itself is never stored. */
@Singleton
public class ServiceAccountRepository {

    public static final String COLLECTION = "service_accounts";

    public record ServiceAccount(String id, String name, Set<String> roles) {
    }

    private final MongoCollection<Document> accounts;

    public ServiceAccountRepository(Database database) {
        this.accounts = database.collection(COLLECTION);
    }

    /** Creates or replaces the account for this key hash: repeating it is harmless. */
    public void upsert(String apiKeyHash, ServiceAccount account) {
        accounts.replaceOne(Filters.eq("_id", apiKeyHash), new Document("_id", apiKeyHash)
                .append("accountId", account.id())
                .append("name", account.name())
                .append("roles", new ArrayList<>(account.roles())), new ReplaceOptions().upsert(true));
    }

    public Optional<ServiceAccount> findByApiKeyHash(String apiKeyHash) {
        Document doc = accounts.find(Filters.eq("_id", apiKeyHash)).first();
        if (doc == null) {
            return Optional.empty();
        }
        return Optional.of(new ServiceAccount(doc.getString("accountId"), doc.getString("name"),
                new LinkedHashSet<>(doc.getList("roles", String.class, List.of()))));
    }
}
