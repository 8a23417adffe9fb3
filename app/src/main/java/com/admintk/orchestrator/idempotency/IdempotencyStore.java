package com.admintk.orchestrator.idempotency;

import com.admintk.orchestrator.store.Database;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Clock;
import java.util.Date;
import java.util.Optional;

/**
 * Stored first responses of mutating requests, keyed by caller, route and {@code Idempotency-Key}
 * ({@code idempotency_keys}). Claiming a key is one insert against the unique {@code _id}: of N concurrent first
 * requests exactly one wins, with no transaction.
 */
@Singleton
public class IdempotencyStore {

    public sealed interface Claim {
        /** This request owns the key and must run, then {@link #complete} or {@link #release} it. */
        record Owned(String id) implements Claim {
        }

        /** Another request with the same key exists. */
        record Existing(String requestHash, boolean completed, int status, String body, Date createdAt)
                implements Claim {
        }
    }

    private final MongoCollection<Document> keys;
    private final IdempotencySettings settings;
    private final Clock clock = Clock.systemUTC();

    public IdempotencyStore(Database database, IdempotencySettings settings) {
        this.keys = database.collection("idempotency_keys");
        this.settings = settings;
    }

    public Claim claim(String id, String scope, String requestHash) {
        try {
            keys.insertOne(new Document("_id", id).append("scope", scope).append("requestHash", requestHash)
                    .append("completed", false).append("createdAt", new Date(clock.millis())));
            return new Claim.Owned(id);
        } catch (MongoWriteException e) {
            if (!Database.isDuplicateKey(e)) {
                throw e;
            }
            // The owner may have released it between our insert and this read: then try to own it again.
            Optional<Claim.Existing> existing = find(id);
            if (existing.isEmpty()) {
                return claim(id, scope, requestHash);
            }
            return abandoned(existing.get()) && existing.get().requestHash().equals(requestHash)
                    && takeOver(id, scope, requestHash, existing.get())
                    ? new Claim.Owned(id) : existing.get();
        }
    }

    /** A first request that never finished nor released its key (its store went away mid-way, or its process died). */
    private boolean abandoned(Claim.Existing existing) {
        return !existing.completed() && existing.createdAt() != null
                && existing.createdAt().toInstant().plus(settings.abandonedAfter()).isBefore(clock.instant());
    }

    /** One of several retries wins: the update matches only the abandoned claim as it was read. */
    private boolean takeOver(String id, String scope, String requestHash, Claim.Existing existing) {
        return keys.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("completed", false),
                        Filters.eq("createdAt", existing.createdAt())),
                Updates.combine(Updates.set("scope", scope), Updates.set("requestHash", requestHash),
                        Updates.set("createdAt", new Date(clock.millis())))).getModifiedCount() == 1;
    }

    public Optional<Claim.Existing> find(String id) {
        Document doc = keys.find(Filters.eq("_id", id)).first();
        if (doc == null) {
            return Optional.empty();
        }
        return Optional.of(new Claim.Existing(doc.getString("requestHash"), doc.getBoolean("completed", false),
                doc.getInteger("status", 0), doc.getString("body"), doc.getDate("createdAt")));
    }

    public void complete(String id, int status, String body) {
        keys.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("completed", true),
                Updates.set("status", status), Updates.set("body", body),
                Updates.set("completedAt", new Date(clock.millis()))));
    }

    /** Forgets a claim whose request failed, so the client may retry with the same key (Stripe's semantics). */
    public void release(String id) {
        keys.deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq("completed", false)));
    }
}
