package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only audit log. This class deliberately has no update or delete method: entries are inserted and read,
 * nothing else.
 */
@Singleton
public class AuditRepository {

    public static final String COLLECTION = "audit_log";

    /** One critical action. {@code details} holds small extra facts (never secrets). */
    public record AuditEntry(String id, Instant at, String actor, String actorRole, String action, String target,
                             String result, String ip, String requestId, String workflowId,
                             Map<String, Object> details) {
    }

    /** Filters of the audit query; null means any. */
    public record Query(String actor, String action, String target, Instant from, Instant to) {
    }

    private final MongoCollection<Document> entries;

    public AuditRepository(Database database) {
        this.entries = database.collection(COLLECTION);
        entries.createIndex(Indexes.descending("at"));
        entries.createIndex(Indexes.ascending("actor", "at"));
        entries.createIndex(Indexes.ascending("key"));
    }

    public void insert(AuditEntry entry) {
        entries.insertOne(toDocument(entry));
    }

    /**
     * Inserts an entry written by a retried step once: {@code key} is the step's idempotency key. Attempts of one
     * Temporal activity run one after another, so looking before inserting is enough.
     */
    public boolean insertOnce(String key, AuditEntry entry) {
        if (entries.find(Filters.eq("key", key)).first() != null) {
            return false;
        }
        entries.insertOne(toDocument(entry).append("key", key));
        return true;
    }

    private static Document toDocument(AuditEntry entry) {
        return new Document("at", Date.from(entry.at()))
                .append("actor", entry.actor())
                .append("actorRole", entry.actorRole())
                .append("action", entry.action())
                .append("target", entry.target())
                .append("result", entry.result())
                .append("ip", entry.ip())
                .append("requestId", entry.requestId())
                .append("workflowId", entry.workflowId())
                .append("details", new Document(entry.details() == null ? Map.of() : entry.details()));
    }

    public List<AuditEntry> find(Query query, int page, int size) {
        List<AuditEntry> out = new ArrayList<>();
        entries.find(filter(query)).sort(Sorts.descending("at")).skip(page * size).limit(size)
                .forEach(doc -> out.add(toEntry(doc)));
        return out;
    }

    public long count(Query query) {
        return entries.countDocuments(filter(query));
    }

    private static Bson filter(Query q) {
        List<Bson> parts = new ArrayList<>();
        if (q.actor() != null) {
            parts.add(Filters.eq("actor", q.actor()));
        }
        if (q.action() != null) {
            parts.add(Filters.eq("action", q.action()));
        }
        if (q.target() != null) {
            parts.add(Filters.eq("target", q.target()));
        }
        if (q.from() != null) {
            parts.add(Filters.gte("at", Date.from(q.from())));
        }
        if (q.to() != null) {
            parts.add(Filters.lt("at", Date.from(q.to())));
        }
        return parts.isEmpty() ? new Document() : Filters.and(parts);
    }

    private static AuditEntry toEntry(Document doc) {
        Document details = doc.get("details", Document.class);
        return new AuditEntry(String.valueOf(doc.getObjectId("_id")), doc.getDate("at").toInstant(),
                doc.getString("actor"), doc.getString("actorRole"), doc.getString("action"), doc.getString("target"),
                doc.getString("result"), doc.getString("ip"), doc.getString("requestId"), doc.getString("workflowId"),
                details == null ? Map.of() : new LinkedHashMap<>(details));
    }
}
