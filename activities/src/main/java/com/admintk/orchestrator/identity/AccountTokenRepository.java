package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * One-time tokens sent by email (password reset), stored as the SHA-256 of the token. Using one is a single
 * conditional update, so two requests racing with the same token cannot both succeed.
 */
@Singleton
public class AccountTokenRepository {

    public static final String COLLECTION = "account_tokens";

    public static final String PASSWORD_RESET = "PASSWORD_RESET";

    private final MongoCollection<Document> tokens;

    public AccountTokenRepository(Database database) {
        this.tokens = database.collection(COLLECTION);
        tokens.createIndex(Indexes.ascending("userId", "purpose"));
    }

    /** A new token; the user's earlier unused tokens of this purpose stop working (only the latest email counts). */
    public void issue(String tokenHash, String userId, String purpose, Instant expiresAt) {
        voidAll(userId, purpose);
        tokens.insertOne(new Document("_id", tokenHash).append("userId", userId).append("purpose", purpose)
                .append("issuedAt", new Date()).append("expiresAt", Date.from(expiresAt)));
    }

    /** @return the user id when this call used the token; empty when unknown, used, voided or expired */
    public Optional<String> use(String tokenHash, String purpose) {
        Document before = tokens.findOneAndUpdate(
                Filters.and(Filters.eq("_id", tokenHash), Filters.eq("purpose", purpose),
                        Filters.exists("usedAt", false), Filters.gt("expiresAt", new Date())),
                Updates.set("usedAt", new Date()),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        return Optional.ofNullable(before).map(doc -> doc.getString("userId"));
    }

    public long voidAll(String userId, String purpose) {
        return tokens.updateMany(Filters.and(Filters.eq("userId", userId), Filters.eq("purpose", purpose),
                Filters.exists("usedAt", false)), Updates.set("usedAt", new Date())).getModifiedCount();
    }
}
