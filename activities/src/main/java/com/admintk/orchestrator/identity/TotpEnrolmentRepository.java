package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Second factors of admins, one document per user. The secret arrives here already encrypted ({@code SecretCipher});
 * recovery codes only as hashes. Every use of a factor is one conditional update, so two logins racing with the same
 * code or the same recovery code cannot both win.
 */
@Singleton
public class TotpEnrolmentRepository {

    public static final String COLLECTION = "totp_enrolments";

    public enum Status { PENDING, ACTIVE }

    /**
     * @param encryptedSecret the base32 secret as stored (encrypted)
     * @param lastStep        the newest TOTP time step accepted for this user; a code of that step or older is spent
     * @param recoveryCodes   hashes of the recovery codes not used yet
     */
    public record Enrolment(String userId, String encryptedSecret, Status status, long lastStep, List<String> recoveryCodes) {
    }

    private final MongoCollection<Document> enrolments;

    public TotpEnrolmentRepository(Database database) {
        this.enrolments = database.collection(COLLECTION);
    }

    public Optional<Enrolment> find(String userId) {
        return Optional.ofNullable(enrolments.find(Filters.eq("_id", userId)).first()).map(TotpEnrolmentRepository::toRecord);
    }

    /**
     * Starts (or restarts) an enrolment with a new secret.
     * @return false when the user is enrolled already: an active factor is never replaced this way
     */
    public boolean startPending(String userId, String encryptedSecret) {
        try {
            enrolments.replaceOne(Filters.and(Filters.eq("_id", userId), Filters.eq("status", Status.PENDING.name())),
                    new Document("_id", userId)
                            .append("secret", encryptedSecret)
                            .append("status", Status.PENDING.name())
                            .append("lastStep", -1L)
                            .append("recoveryCodes", List.of())
                            .append("startedAt", new Date()),
                    new ReplaceOptions().upsert(true));
            return true;
        } catch (MongoWriteException e) {
            // the upsert collided with the ACTIVE document of the same _id
            if (Database.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Turns the pending enrolment with exactly this secret into the active one. A restart in between (new secret)
     * makes this fail, so a code for an abandoned secret never enrols.
     * @param step the time step of the confirming code, spent from now on
     */
    public boolean activate(String userId, String encryptedSecret, long step, List<String> recoveryCodeHashes) {
        return enrolments.updateOne(
                Filters.and(Filters.eq("_id", userId), Filters.eq("status", Status.PENDING.name()),
                        Filters.eq("secret", encryptedSecret)),
                Updates.combine(Updates.set("status", Status.ACTIVE.name()), Updates.set("lastStep", step),
                        Updates.set("recoveryCodes", new ArrayList<>(recoveryCodeHashes)),
                        Updates.set("enrolledAt", new Date())))
                .getModifiedCount() == 1;
    }

    /** An already active enrolment (the demo admin of the local stack). @return false when the user has one */
    public boolean insertActive(String userId, String encryptedSecret) {
        try {
            enrolments.insertOne(new Document("_id", userId)
                    .append("secret", encryptedSecret)
                    .append("status", Status.ACTIVE.name())
                    .append("lastStep", -1L)
                    .append("recoveryCodes", List.of())
                    .append("enrolledAt", new Date()));
            return true;
        } catch (MongoWriteException e) {
            if (Database.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Spends a time step. @return false when that step (or a newer one) was spent already: the code is a replay */
    public boolean spendStep(String userId, long step) {
        return enrolments.updateOne(
                Filters.and(Filters.eq("_id", userId), Filters.eq("status", Status.ACTIVE.name()),
                        Filters.lt("lastStep", step)),
                Updates.set("lastStep", step)).getModifiedCount() == 1;
    }

    /** Spends a recovery code. @return false when the user has no unused code with this hash */
    public boolean spendRecoveryCode(String userId, String codeHash) {
        return enrolments.updateOne(
                Filters.and(Filters.eq("_id", userId), Filters.eq("status", Status.ACTIVE.name()),
                        Filters.eq("recoveryCodes", codeHash)),
                Updates.pull("recoveryCodes", codeHash)).getModifiedCount() == 1;
    }

    private static Enrolment toRecord(Document doc) {
        Number lastStep = doc.get("lastStep", Number.class);
        return new Enrolment(doc.getString("_id"), doc.getString("secret"), Status.valueOf(doc.getString("status")),
                lastStep == null ? -1 : lastStep.longValue(), doc.getList("recoveryCodes", String.class, List.of()));
    }
}
