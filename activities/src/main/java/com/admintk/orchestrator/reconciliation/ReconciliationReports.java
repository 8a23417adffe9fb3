package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reconciliation reports ({@code reconciliation_reports}), newest first, only the newest few kept. */
@Singleton
public class ReconciliationReports {

    public static final String COLLECTION = "reconciliation_reports";

    private final MongoCollection<Document> reports;

    public ReconciliationReports(Database database) {
        this.reports = database.collection(COLLECTION);
        reports.createIndex(Indexes.descending("startedAt"));
    }

    /** Inserts the report once (by id); answers whether this call inserted it. */
    public boolean save(ReconciliationReport report) {
        Map<String, Object> counts = new LinkedHashMap<>();
        report.counts().forEach((kind, n) -> counts.put(kind.name(), n));
        List<Document> items = new ArrayList<>();
        for (ReconciliationReport.Item item : report.items()) {
            items.add(new Document("kind", item.kind().name()).append("externalId", item.externalId())
                    .append("panelServerId", item.panelServerId()).append("serverId", item.serverId())
                    .append("detail", item.detail()).append("repair", item.repair().name())
                    .append("repaired", item.repaired()).append("error", item.error()));
        }
        Document fields = new Document("startedAt", new Date(report.startedAtMillis()))
                .append("finishedAt", new Date(report.finishedAtMillis()))
                .append("panelServers", report.panelServers())
                .append("storeServers", report.storeServers())
                .append("repairEnabled", report.repairEnabled())
                .append("deleteOrphansEnabled", report.deleteOrphansEnabled())
                .append("requests", report.requests())
                .append("counts", new Document(counts))
                .append("items", items)
                .append("region", report.region());
        return reports.updateOne(Filters.eq("_id", report.id()), new Document("$setOnInsert", fields),
                new UpdateOptions().upsert(true)).getUpsertedId() != null;
    }

    /** Deletes all but the {@code keep} newest reports. */
    public void trim(int keep) {
        Document oldestKept = reports.find().sort(Sorts.descending("startedAt")).skip(keep - 1).first();
        if (oldestKept != null) {
            reports.deleteMany(Filters.lt("startedAt", oldestKept.getDate("startedAt")));
        }
    }

    public List<Document> newestFirst(int page, int size) {
        List<Document> result = new ArrayList<>();
        reports.find().sort(Sorts.descending("startedAt")).skip(page * size).limit(size).into(result);
        return result;
    }

    public long count() {
        return reports.countDocuments();
    }
}
