package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.Date;

/**
 * Webhook deliveries remembered by provider and event id (the {@code _id}, so the unique key is the primary key).
 * A delivery is RECEIVED, then PROCESSED once handed off; a repeat of a PROCESSED event is a replay and is dropped,
 * a repeat of one that never got PROCESSED is handed off again.
 */
@Singleton
public class WebhookEventRepository {

    public static final String COLLECTION = "webhook_events";

    public enum Claim { NEW, RETRY, REPLAY }

    private final MongoCollection<Document> events;

    public WebhookEventRepository(Database database) {
        this.events = database.collection(COLLECTION);
    }

    public Claim claim(String provider, String eventId, String type) {
        String id = provider + ":" + eventId;
        try {
            events.insertOne(new Document("_id", id).append("provider", provider).append("eventId", eventId)
                    .append("type", type).append("status", "RECEIVED").append("receivedAt", new Date()));
            return Claim.NEW;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
                throw e;
            }
            Document existing = events.find(Filters.eq("_id", id)).first();
            return existing != null && "PROCESSED".equals(existing.getString("status")) ? Claim.REPLAY : Claim.RETRY;
        }
    }

    public void markProcessed(String provider, String eventId) {
        events.updateOne(Filters.eq("_id", provider + ":" + eventId),
                Updates.combine(Updates.set("status", "PROCESSED"), Updates.set("processedAt", new Date())));
    }
}
