package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.store.Database;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Card top-ups in MongoDB ({@code wallet_top_ups}). The API creates a top-up {@code PENDING}; its workflow marks it
 * {@code CREDITED} or {@code FAILED}, each with one conditional update on a still-pending document, so a repeated or
 * late write never changes a finished top-up.
 */
@Singleton
public class TopUpStore {

    static final String COLLECTION = "wallet_top_ups";
    private static final Logger log = LoggerFactory.getLogger(TopUpStore.class);

    private final MongoCollection<Document> topUps;
    private final Clock clock = Clock.systemUTC();

    public TopUpStore(Database database) {
        this.topUps = database.collection(COLLECTION);
        try {
            topUps.createIndex(Indexes.compoundIndex(Indexes.ascending("customerId"), Indexes.descending("createdAt")),
                    new IndexOptions().name("customer_top_ups"));
        } catch (RuntimeException e) {
            // Only speeds up listing; a database that is down now must not stop the app from starting.
            log.warn("could not create the top-up index: {}", e.toString());
        }
    }

    /** Inserts the top-up; answers the stored one when a first request with the same id got there before. */
    public TopUp createOnce(TopUp topUp) {
        try {
            topUps.insertOne(topUp.toDocument(new Date(clock.millis())));
        } catch (MongoWriteException e) {
            if (!Database.isDuplicateKey(e)) {
                throw e;
            }
        }
        return find(topUp.id()).orElseThrow();
    }

    public Optional<TopUp> find(String id) {
        return Optional.ofNullable(topUps.find(Filters.eq("_id", id)).first()).map(TopUp::from);
    }

    /** Newest first; {@code customerId} and {@code status} filter when given. */
    public List<TopUp> list(String customerId, TopUpStatus status, int page, int size) {
        List<TopUp> result = new ArrayList<>();
        topUps.find(filter(customerId, status)).sort(Sorts.descending("createdAt")).skip(page * size).limit(size)
                .forEach(doc -> result.add(TopUp.from(doc)));
        return result;
    }

    public long count(String customerId, TopUpStatus status) {
        return topUps.countDocuments(filter(customerId, status));
    }

    public boolean markCredited(String id, String providerPaymentId, String ledgerKey) {
        return finish(id, TopUpStatus.CREDITED, Updates.set("providerPaymentId", providerPaymentId),
                Updates.set("ledgerKey", ledgerKey));
    }

    public boolean markFailed(String id, String providerPaymentId, String reasonCode, String reason) {
        return finish(id, TopUpStatus.FAILED, Updates.set("providerPaymentId", providerPaymentId),
                Updates.set("reasonCode", reasonCode), Updates.set("reason", reason));
    }

    private boolean finish(String id, TopUpStatus status, Bson... fields) {
        List<Bson> updates = new ArrayList<>(List.of(fields));
        updates.add(Updates.set("status", status.name()));
        updates.add(Updates.set("updatedAt", new Date(clock.millis())));
        return topUps.updateOne(Filters.and(Filters.eq("_id", id), Filters.eq("status", TopUpStatus.PENDING.name())),
                Updates.combine(updates)).getModifiedCount() > 0;
    }

    private static Bson filter(String customerId, TopUpStatus status) {
        List<Bson> filters = new ArrayList<>();
        if (customerId != null) {
            filters.add(Filters.eq("customerId", customerId));
        }
        if (status != null) {
            filters.add(Filters.eq("status", status.name()));
        }
        return filters.isEmpty() ? new Document() : Filters.and(filters);
    }
}
