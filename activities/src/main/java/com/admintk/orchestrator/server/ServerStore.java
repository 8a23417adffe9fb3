package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.ServerRecord;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.store.Paged;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import jakarta.inject.Singleton;
import org.bson.Document;
import org.bson.conversions.Bson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The game servers the store sold ({@code servers}), keyed by our server id, one per order.
 *
 * <p>Each customer's server ids are also kept in one document of {@code customer_servers} (keyed by the customer's
 * id). A customer's page of servers is read by id through it: two lookups by key, whatever the number of servers in
 * the store. The local store (mongo-java-server) uses no secondary index, so a query by {@code customerId} reads
 * every server there; real MongoDB reads the same few documents either way. A server is added to its customer's
 * document before its own record is written, and marked {@code listed}; records written without that (by a version
 * before this one, during a rolling deploy) are added by {@link #listUnlisted()}.
 */
@Singleton
public class ServerStore {

    public static final String ACTIVE = "ACTIVE";
    public static final String PAST_DUE = "PAST_DUE";
    public static final String RELEASED = "RELEASED";
    public static final String TERMINATED = "TERMINATED";

    private static final Bson NEWEST_FIRST = Sorts.orderBy(Sorts.descending("createdAt"), Sorts.ascending("_id"));

    private final MongoCollection<Document> servers;
    private final MongoCollection<Document> byCustomer;

    public ServerStore(Database database) {
        this.servers = database.collection("servers");
        this.byCustomer = database.collection("customer_servers");
        servers.createIndex(Indexes.ascending("customerId"));
        servers.createIndex(Indexes.ascending("externalId"));
        servers.createIndex(Indexes.ascending("listed"));
    }

    /** Idempotent: a repeat rewrites the same values. */
    public void record(ServerRecord server) {
        Document fields = new Document("orderId", server.orderId())
                .append("customerId", server.customerId())
                .append("planId", server.planId())
                .append("name", server.name())
                .append("externalId", server.externalId())
                .append("panelServerId", server.panelServerId())
                .append("panelUuid", server.panelUuid())
                .append("panelIdentifier", server.panelIdentifier())
                .append("panelUserId", server.panelUserId())
                .append("node", server.node())
                .append("billingCycle", server.billingCycle().name())
                .append("renewsAt", new Date(server.renewsAtMillis()))
                .append("paymentMethod", server.paymentMethod().name())
                .append("priceCoins", server.priceCoins())
                .append("priceAmountMinor", server.priceAmountMinor())
                .append("currency", server.currency())
                .append("status", ACTIVE)
                .append("createdAt", new Date(server.createdAtMillis()))
                // the panel every later call for this server goes to; absent (null) is the default region
                .append("region", server.region())
                .append("listed", true);
        addToCustomer(server.customerId(), List.of(server.serverId()));
        servers.updateOne(Filters.eq("_id", server.serverId()), new Document("$set", fields), new UpdateOptions().upsert(true));
    }

    public void release(String serverId, String reason) {
        servers.updateOne(Filters.eq("_id", serverId), Updates.combine(Updates.set("status", RELEASED),
                Updates.set("releasedReason", reason), Updates.set("releasedAt", new Date())));
    }

    /**
     * The lifecycle's status (ACTIVE, PAST_DUE, SUSPENDED, TERMINATED), its suspension reason and renewal date. One
     * conditional update: a TERMINATED record is never changed again (a late, retried write of an earlier state
     * cannot bring it back), and is never deleted, so the order and server history survive for audit. A record
     * the order released is left as it is. Returns whether the record changed.
     */
    public boolean markStatus(String serverId, ServerStatusUpdate update) {
        List<org.bson.conversions.Bson> sets = new ArrayList<>(List.of(
                Updates.set("status", update.status()),
                Updates.set("suspension", update.suspension() == null ? null : update.suspension().name()),
                Updates.set("statusReason", update.reason()),
                Updates.set("statusChangedAt", new Date(update.atMillis()))));
        if (update.renewsAtMillis() > 0) {
            sets.add(Updates.set("renewsAt", new Date(update.renewsAtMillis())));
        }
        if (TERMINATED.equals(update.status())) {
            sets.add(Updates.set("terminatedAt", new Date(update.atMillis())));
        }
        return servers.updateOne(Filters.and(Filters.eq("_id", serverId), Filters.nin("status", TERMINATED, RELEASED)),
                Updates.combine(sets)).getModifiedCount() > 0;
    }

    /**
     * The plan and price after a plan change. Idempotent (a repeat sets the same values); a terminated or released
     * record keeps the plan it ended with. Returns whether the record changed.
     */
    public boolean changePlan(String serverId, ServerPlanChange change) {
        return servers.updateOne(Filters.and(Filters.eq("_id", serverId), Filters.nin("status", TERMINATED, RELEASED)),
                Updates.combine(Updates.set("planId", change.planId()),
                        Updates.set("priceCoins", change.priceCoins()),
                        Updates.set("priceAmountMinor", change.priceAmountMinor()),
                        Updates.set("currency", change.currency()),
                        Updates.set("planChangedAt", new Date(change.atMillis())))).getModifiedCount() > 0;
    }

    public Optional<Document> find(String serverId) {
        return Optional.ofNullable(servers.find(Filters.eq("_id", serverId)).first());
    }

    public List<Document> list(String customerId) {
        List<Document> result = new ArrayList<>();
        servers.find(customerId == null ? new Document() : Filters.eq("customerId", customerId)).into(result);
        return result;
    }

    /**
     * The servers that run for a customer (ACTIVE, or PAST_DUE while dunning) and exist on the panel, oldest id
     * first so a caller can take them in turns; only the fields a live-stats round needs.
     */
    public List<Document> live() {
        List<Document> result = new ArrayList<>();
        servers.find(Filters.and(Filters.in("status", ACTIVE, PAST_DUE), Filters.ne("panelIdentifier", null)))
                .projection(Projections.include("customerId", "planId", "name", "panelIdentifier", "status", "region"))
                .sort(Sorts.ascending("_id")).into(result);
        return result;
    }

    /**
     * One page of servers, newest first, with how many there are in all. {@code customerId} null: every customer's;
     * {@code status} null: any status (a lifecycle status, or {@link #RELEASED}).
     */
    public Paged<Document> page(String customerId, String status, int page, int size) {
        List<Bson> conditions = new ArrayList<>();
        if (customerId != null) {
            List<String> ids = serverIdsOf(customerId);
            if (ids.isEmpty()) {
                return new Paged<>(List.of(), 0);
            }
            conditions.add(Filters.in("_id", ids));
        }
        if (status != null) {
            conditions.add(Filters.eq("status", status));
        }
        Bson filter = conditions.isEmpty() ? new Document()
                : conditions.size() == 1 ? conditions.get(0) : Filters.and(conditions);
        return Paged.read(servers, filter, NEWEST_FIRST, page, size, doc -> doc);
    }

    /** Adds servers to their customer's list of server ids. Idempotent. */
    public void addToCustomer(String customerId, Collection<String> serverIds) {
        byCustomer.updateOne(Filters.eq("_id", customerId),
                Updates.addEachToSet("serverIds", new ArrayList<>(serverIds)), new UpdateOptions().upsert(true));
    }

    /**
     * Adds every server record that is not yet on its customer's list (written by an earlier version) to it, and
     * marks it listed. Idempotent, and safe to run in several processes at once. Returns how many it listed.
     */
    public int listUnlisted() {
        List<Document> unlisted = new ArrayList<>();
        servers.find(Filters.exists("listed", false)).projection(Projections.include("customerId")).into(unlisted);
        for (Document server : unlisted) {
            String customerId = server.getString("customerId");
            if (customerId != null) {
                addToCustomer(customerId, List.of(server.getString("_id")));
            }
            servers.updateOne(Filters.eq("_id", server.getString("_id")), Updates.set("listed", true));
        }
        return unlisted.size();
    }

    private List<String> serverIdsOf(String customerId) {
        Document listed = byCustomer.find(Filters.eq("_id", customerId)).first();
        return listed == null ? List.of() : listed.getList("serverIds", String.class, List.of());
    }
}
