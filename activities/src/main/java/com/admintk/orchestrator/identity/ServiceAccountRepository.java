package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Machine accounts (the store), one document per API key, keyed by the SHA-256 of the key: the key itself is never
 * stored. An account may hold two keys for a while: after a rotation the old key carries an {@code expiresAt} and
 * stops working then. Revoking an account marks every key revoked (kept for the record, never deleted).
 */
@Singleton
public class ServiceAccountRepository {

    public static final String COLLECTION = "service_accounts";

    public record ServiceAccount(String id, String name, Set<String> roles) {
    }

    /** One key of an account, as admins see it: never the key, only a short prefix to recognise it. */
    public record ApiKey(String keyId, String accountId, String name, Set<String> roles, String prefix,
                         Instant createdAt, Instant expiresAt) {
    }

    private final MongoCollection<Document> accounts;

    public ServiceAccountRepository(Database database) {
        this.accounts = database.collection(COLLECTION);
        accounts.createIndex(Indexes.ascending("accountId"));
    }

    /** Creates or replaces the key with this hash: repeating it is harmless. The key never expires. */
    public void upsert(String apiKeyHash, ServiceAccount account) {
        accounts.replaceOne(Filters.eq("_id", apiKeyHash), keyDocument("seeded", account, null, null),
                new ReplaceOptions().upsert(true));
    }

    /** A new key for the account (a new account when the id is new). */
    public void addKey(String apiKeyHash, ServiceAccount account, String keyId, String prefix) {
        accounts.insertOne(keyDocument(keyId, account, prefix, null).append("_id", apiKeyHash));
    }

    private static Document keyDocument(String keyId, ServiceAccount account, String prefix, Instant expiresAt) {
        Document doc = new Document("accountId", account.id())
                .append("name", account.name())
                .append("roles", new ArrayList<>(account.roles()))
                .append("keyId", keyId)
                .append("prefix", prefix)
                .append("createdAt", new Date());
        if (expiresAt != null) {
            doc.append("expiresAt", Date.from(expiresAt));
        }
        return doc;
    }

    /** The account of a key that is neither revoked nor past its rotation overlap. */
    public Optional<ServiceAccount> findByApiKeyHash(String apiKeyHash) {
        Document doc = accounts.find(Filters.and(Filters.eq("_id", apiKeyHash), usable(Instant.now()))).first();
        if (doc == null) {
            return Optional.empty();
        }
        return Optional.of(new ServiceAccount(doc.getString("accountId"), doc.getString("name"),
                new LinkedHashSet<>(doc.getList("roles", String.class, List.of()))));
    }

    /** Every usable key, oldest first; accounts are the keys grouped by account id. */
    public List<ApiKey> usableKeys() {
        List<ApiKey> out = new ArrayList<>();
        accounts.find(usable(Instant.now())).sort(Sorts.ascending("createdAt"))
                .forEach(doc -> out.add(toKey(doc)));
        return out;
    }

    public List<ApiKey> usableKeys(String accountId) {
        return usableKeys().stream().filter(key -> key.accountId().equals(accountId)).toList();
    }

    /**
     * Ends every other usable key of the account at {@code until} (sooner expiries are kept): the overlap of a
     * rotation, or now to retire them at once.
     */
    public long expireOtherKeys(String accountId, String keepHash, Instant until) {
        return accounts.updateMany(Filters.and(Filters.eq("accountId", accountId), Filters.ne("_id", keepHash),
                        usable(Instant.now()), Filters.or(Filters.exists("expiresAt", false), Filters.gt("expiresAt", Date.from(until)))),
                Updates.set("expiresAt", Date.from(until))).getModifiedCount();
    }

    /** @return how many keys were still usable */
    public long revokeAccount(String accountId) {
        return accounts.updateMany(Filters.and(Filters.eq("accountId", accountId), Filters.ne("revoked", true)),
                Updates.combine(Updates.set("revoked", true), Updates.set("revokedAt", new Date()))).getModifiedCount();
    }

    private static Bson usable(Instant now) {
        return Filters.and(Filters.ne("revoked", true),
                Filters.or(Filters.exists("expiresAt", false), Filters.gt("expiresAt", Date.from(now))));
    }

    private static ApiKey toKey(Document doc) {
        Date created = doc.getDate("createdAt");
        Date expires = doc.getDate("expiresAt");
        return new ApiKey(doc.getString("keyId") == null ? "seeded" : doc.getString("keyId"),
                doc.getString("accountId"), doc.getString("name"),
                new LinkedHashSet<>(doc.getList("roles", String.class, List.of())), doc.getString("prefix"),
                created == null ? null : created.toInstant(), expires == null ? null : expires.toInstant());
    }

    /** Usable keys grouped by account, in creation order. */
    public static Map<String, List<ApiKey>> byAccount(List<ApiKey> keys) {
        Map<String, List<ApiKey>> out = new LinkedHashMap<>();
        keys.forEach(key -> out.computeIfAbsent(key.accountId(), id -> new ArrayList<>()).add(key));
        return out;
    }
}
