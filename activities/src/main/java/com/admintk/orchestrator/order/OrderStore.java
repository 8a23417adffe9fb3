package com.admintk.orchestrator.order;

import com.admintk.orchestrator.security.SecretCipher;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.store.Paged;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Orders and their saga timeline in MongoDB ({@code orders}). The workflow is the source of truth while it runs;
 * this store is what the API lists and what remains once the run is over. Updates are single-document and a
 * terminal status is never overwritten, so a late or repeated activity cannot resurrect a finished order.
 */
@Singleton
public class OrderStore {

    static final List<String> TERMINAL = Stream.of(OrderStatus.values()).filter(OrderStatus::terminal).map(Enum::name).toList();

    private final MongoCollection<Document> orders;
    private final Clock clock;
    private final SecretCipher cipher;

    public OrderStore(Database database, SecretCipher cipher) {
        this.orders = database.collection("orders");
        this.cipher = cipher;
        this.clock = Clock.systemUTC();
        orders.createIndex(Indexes.compoundIndex(Indexes.ascending("customerId"), Indexes.descending("createdAt")));
        orders.createIndex(Indexes.ascending("status"));
    }

    /** Inserts a new order; the order id is fresh, so this never collides. */
    public void create(OrderDocument order) {
        orders.insertOne(order.toDocument(new Date(clock.millis()), cipher));
    }

    /** The order with the region its server is made in, in one insert (a duplicate id throws, as {@link #create}). */
    public void create(OrderDocument order, String region) {
        orders.insertOne(order.toDocument(new Date(clock.millis()), cipher).append("region", region));
    }

    /**
     * An order as stored, with its region (null before regions) and the highest attempt whose run started (null:
     * none; see {@link #markRunStarted}).
     */
    public record Stored(OrderDocument order, String region, Integer runAttempt) {
        public boolean hasRun(int attempt) {
            return runAttempt != null && runAttempt >= attempt;
        }
    }

    /** {@link #find} and {@link #regionOf}, with the runs started, in one read. */
    public Optional<Stored> findStored(String orderId) {
        return Optional.ofNullable(orders.find(Filters.eq("_id", orderId)).first()).map(doc -> new Stored(
                OrderDocument.from(doc, cipher), doc.getString("region"), doc.getInteger("runAttempt")));
    }

    public Optional<OrderDocument> find(String orderId) {
        return Optional.ofNullable(orders.find(Filters.eq("_id", orderId)).first()).map(doc -> OrderDocument.from(doc, cipher));
    }

    /** A page of the orders, newest first, with how many there are in all. */
    public Paged<OrderDocument> list(String customerId, String status, int page, int size) {
        return Paged.read(orders, filter(customerId, status), Sorts.descending("createdAt"), page, size,
                doc -> OrderDocument.from(doc, cipher));
    }

    public long count(String customerId, String status) {
        return orders.countDocuments(filter(customerId, status));
    }

    private static Bson filter(String customerId, String status) {
        List<Bson> filters = new ArrayList<>();
        if (customerId != null) {
            filters.add(Filters.eq("customerId", customerId));
        }
        if (status != null) {
            filters.add(Filters.eq("status", status));
        }
        return filters.isEmpty() ? new Document() : Filters.and(filters);
    }

    /** Sets status, reason and timeline unless the order is already terminal. Returns whether it changed. */
    public boolean markStatus(String orderId, OrderStatus status, String reason, List<StepRecord> timeline) {
        List<Bson> updates = new ArrayList<>(List.of(
                Updates.set("status", status.name()),
                Updates.set("reason", reason),
                Updates.set("updatedAt", new Date(clock.millis()))));
        if (timeline != null) {
            updates.add(Updates.set("timeline", OrderDocument.timelineToDocuments(timeline)));
        }
        return orders.updateOne(Filters.and(Filters.eq("_id", orderId), Filters.nin("status", TERMINAL)),
                Updates.combine(updates)).getModifiedCount() > 0;
    }

    /** Puts a terminal order back to processing for another attempt (operator retry). Returns false if not allowed. */
    public boolean reopen(String orderId, int attempt, List<String> retryableFrom) {
        return orders.updateOne(Filters.and(Filters.eq("_id", orderId), Filters.in("status", retryableFrom)),
                Updates.combine(Updates.set("status", OrderStatus.PROCESSING.name()), Updates.set("reason", null),
                        Updates.set("attempt", attempt), Updates.set("updatedAt", new Date(clock.millis()))))
                .getModifiedCount() > 0;
    }

    /**
     * Notes that {@code attempt} got its workflow run. A checkout retried after its first request failed reads this
     * to tell "never started" (start it) from "started" (answer it): a second run of one attempt would replay that
     * attempt's payment keys.
     */
    public void markRunStarted(String orderId, int attempt, String runId) {
        // By id alone, so that it is one index lookup everywhere (mongo-java-server scans the whole collection for an
        // update with any other filter): the highest attempt started wins, and each attempt keeps its own run id.
        orders.updateOne(Filters.eq("_id", orderId),
                Updates.combine(Updates.max("runAttempt", attempt), Updates.set("runIds." + attempt, runId)));
    }

    /** The region (panel) the order's server is made in, kept for an operator's retry. */
    public void setRegion(String orderId, String region) {
        orders.updateOne(Filters.eq("_id", orderId), Updates.set("region", region));
    }

    /** The region the order was placed in; empty for orders from before regions. */
    public java.util.Optional<String> regionOf(String orderId) {
        Document doc = orders.find(Filters.eq("_id", orderId)).projection(new Document("region", 1)).first();
        return java.util.Optional.ofNullable(doc == null ? null : doc.getString("region"));
    }

    public void setServer(String orderId, String serverId) {
        orders.updateOne(Filters.eq("_id", orderId), Updates.set("serverId", serverId));
    }

    /**
     * Orders in {@code status}, oldest first, optionally of one plan: e.g. those waiting for capacity, which an
     * operator's "capacity added" wakes (found here, not in Temporal's visibility, which the test server lacks).
     */
    public List<OrderDocument> withStatus(OrderStatus status, String planId) {
        Bson filter = planId == null ? Filters.eq("status", status.name())
                : Filters.and(Filters.eq("status", status.name()), Filters.eq("planId", planId));
        List<OrderDocument> result = new ArrayList<>();
        orders.find(filter).sort(Sorts.ascending("createdAt")).forEach(doc -> result.add(OrderDocument.from(doc, cipher)));
        return result;
    }

    /** Ids of orders whose saga still runs (not terminal): their panel server may exist before its record. */
    public List<String> inFlightOrderIds() {
        List<String> ids = new ArrayList<>();
        orders.find(Filters.nin("status", TERMINAL)).projection(new Document("_id", 1))
                .forEach(doc -> ids.add(doc.getString("_id")));
        return ids;
    }
}
