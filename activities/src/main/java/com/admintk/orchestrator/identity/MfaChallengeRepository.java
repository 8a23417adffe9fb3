package com.admintk.orchestrator.identity;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import com.admintk.orchestrator.store.Database;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * The half-finished logins of admins: the password was right, the second factor is still owed. Stored as the SHA-256
 * of the mfa token, like refresh tokens, with a budget of attempts and a single successful use.
 */
@Singleton
public class MfaChallengeRepository {

    public static final String COLLECTION = "mfa_challenges";

    public record Challenge(String hash, String userId, Instant expiresAt, int attempts) {
    }

    private final MongoCollection<Document> challenges;

    public MfaChallengeRepository(Database database) {
        this.challenges = database.collection(COLLECTION);
        challenges.createIndex(Indexes.ascending("userId"));
    }

    public void insert(String hash, String userId, Instant expiresAt) {
        challenges.insertOne(new Document("_id", hash)
                .append("userId", userId)
                .append("expiresAt", Date.from(expiresAt))
                .append("attempts", 0)
                .append("used", false)
                .append("createdAt", new Date()));
    }

    /**
     * Counts one attempt against the challenge.
     * @return the challenge when it was still unused and under {@code maxAttempts}; empty otherwise (unknown, used or
     *         out of attempts), so the attempt that exhausts the budget is the last one counted
     */
    public Optional<Challenge> attempt(String hash, int maxAttempts) {
        Document after = challenges.findOneAndUpdate(
                Filters.and(Filters.eq("_id", hash), Filters.eq("used", false), Filters.lt("attempts", maxAttempts)),
                Updates.inc("attempts", 1),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        return Optional.ofNullable(after).map(doc -> new Challenge(doc.getString("_id"), doc.getString("userId"),
                doc.getDate("expiresAt").toInstant(), doc.get("attempts", Number.class).intValue()));
    }

    /** @return true for the one call that finishes the login with this challenge */
    public boolean consume(String hash) {
        return challenges.updateOne(Filters.and(Filters.eq("_id", hash), Filters.eq("used", false)),
                Updates.combine(Updates.set("used", true), Updates.set("usedAt", new Date()))).getModifiedCount() == 1;
    }
}
