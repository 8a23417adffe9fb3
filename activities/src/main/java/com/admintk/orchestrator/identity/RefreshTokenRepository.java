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
 * Refresh tokens, stored as the SHA-256 of the token. Each login starts a family; each refresh retires one token of
 * the family and issues the next. Rotation is one conditional update, so two concurrent refreshes with the same
 * token cannot both win.
 */
@Singleton
public class RefreshTokenRepository {

    public static final String COLLECTION = "refresh_tokens";

    public enum Status { ACTIVE, ROTATED, REVOKED }

    /**
     * @param secondFactor the session began with a password and a second factor (TOTP or a recovery code); every
     *                     token of the family carries it on, so a refresh never upgrades a password-only session
     */
    public record RefreshToken(String hash, String userId, String familyId, Status status, Instant expiresAt,
                               boolean secondFactor) {
    }

    private final MongoCollection<Document> tokens;

    public RefreshTokenRepository(Database database) {
        this.tokens = database.collection(COLLECTION);
        tokens.createIndex(Indexes.ascending("familyId"));
        tokens.createIndex(Indexes.ascending("userId"));
    }

    public void insert(RefreshToken token) {
        tokens.insertOne(new Document("_id", token.hash())
                .append("userId", token.userId())
                .append("familyId", token.familyId())
                .append("status", token.status().name())
                .append("secondFactor", token.secondFactor())
                .append("issuedAt", new Date())
                .append("expiresAt", Date.from(token.expiresAt())));
    }

    public Optional<RefreshToken> find(String hash) {
        return Optional.ofNullable(tokens.find(Filters.eq("_id", hash)).first()).map(RefreshTokenRepository::toRecord);
    }

    /** Moves an ACTIVE token to ROTATED. @return the token when this call did it, empty when it was not ACTIVE. */
    public Optional<RefreshToken> rotate(String hash) {
        Document before = tokens.findOneAndUpdate(
                Filters.and(Filters.eq("_id", hash), Filters.eq("status", Status.ACTIVE.name())),
                Updates.combine(Updates.set("status", Status.ROTATED.name()), Updates.set("rotatedAt", new Date())),
                new FindOneAndUpdateOptions().returnDocument(ReturnDocument.BEFORE));
        return Optional.ofNullable(before).map(RefreshTokenRepository::toRecord);
    }

    /** @return how many tokens of the family were still usable */
    public long revokeFamily(String familyId) {
        return tokens.updateMany(
                Filters.and(Filters.eq("familyId", familyId), Filters.ne("status", Status.REVOKED.name())),
                Updates.combine(Updates.set("status", Status.REVOKED.name()), Updates.set("revokedAt", new Date())))
                .getModifiedCount();
    }

    public long revokeAllOf(String userId) {
        return tokens.updateMany(
                Filters.and(Filters.eq("userId", userId), Filters.ne("status", Status.REVOKED.name())),
                Updates.combine(Updates.set("status", Status.REVOKED.name()), Updates.set("revokedAt", new Date())))
                .getModifiedCount();
    }

    /** A family once revoked (logout, reuse detected, password change) stays revoked. */
    public boolean familyRevoked(String familyId) {
        return tokens.find(Filters.and(Filters.eq("familyId", familyId), Filters.eq("status", Status.REVOKED.name())))
                .limit(1).first() != null;
    }

    public long countActiveInFamily(String familyId) {
        return tokens.countDocuments(Filters.and(Filters.eq("familyId", familyId), Filters.eq("status", Status.ACTIVE.name())));
    }

    private static RefreshToken toRecord(Document doc) {
        return new RefreshToken(doc.getString("_id"), doc.getString("userId"), doc.getString("familyId"),
                Status.valueOf(doc.getString("status")), doc.getDate("expiresAt").toInstant(),
                Boolean.TRUE.equals(doc.getBoolean("secondFactor")));
    }
}
