package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.ServerRecord;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.store.Paged;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerStoreTest {

    private MongoServer mongoServer;
    private MongoClient mongo;
    private ServerStore servers;

    @BeforeEach
    void start() {
        mongoServer = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongoServer.bind();
        String uri = "mongodb://127.0.0.1:" + address.getPort() + "/servers";
        mongo = MongoClients.create(uri);
        servers = new ServerStore(new Database(mongo, uri));
        servers.record(new ServerRecord("srv-1", "o-1", "cust-1", "paper-4g", "Paper", "order:o-1", 101, "uuid",
                "abcd1234", 7, 1, BillingCycle.MONTHLY, 1_000, PaymentMethod.TKCOINS, 500, 0, null, 0));
    }

    @AfterEach
    void stop() {
        mongo.close();
        mongoServer.shutdownNow();
    }

    @Test
    void aTerminatedRecordIsKeptAndNeverBroughtBack() {
        assertTrue(servers.markStatus("srv-1", new ServerStatusUpdate("SUSPENDED", SuspensionReason.NON_PAYMENT,
                "renewal not paid", 0, 2_000)));
        Document suspended = servers.find("srv-1").orElseThrow();
        assertEquals("SUSPENDED", suspended.getString("status"));
        assertEquals("NON_PAYMENT", suspended.getString("suspension"));
        assertEquals(new Date(1_000), suspended.getDate("renewsAt"), "0 leaves the renewal date");

        assertTrue(servers.markStatus("srv-1", new ServerStatusUpdate("TERMINATED", null, "grace over", 0, 3_000)));
        // A retried write of an earlier state arrives late.
        assertFalse(servers.markStatus("srv-1", new ServerStatusUpdate("ACTIVE", null, "renewed", 5_000, 2_500)));

        Document terminated = servers.find("srv-1").orElseThrow();
        assertEquals("TERMINATED", terminated.getString("status"));
        assertEquals(new Date(3_000), terminated.getDate("terminatedAt"));
        assertNotNull(terminated.getString("orderId"), "the record stays for audit");
    }

    @Test
    void aRenewalMovesTheDate() {
        servers.markStatus("srv-1", new ServerStatusUpdate("ACTIVE", null, "renewal paid", 9_000, 2_000));
        assertEquals(new Date(9_000), servers.find("srv-1").orElseThrow().getDate("renewsAt"));
    }

    @Test
    void aPlanChangeSetsThePlanAndPriceButNeverOnATerminatedRecord() {
        assertTrue(servers.changePlan("srv-1", new ServerPlanChange("paper-8g", 1100, 1999, "eur", 2_000)));
        Document changed = servers.find("srv-1").orElseThrow();
        assertEquals("paper-8g", changed.getString("planId"));
        assertEquals(1100L, changed.get("priceCoins", Number.class).longValue());
        assertEquals(new Date(2_000), changed.getDate("planChangedAt"));
        assertFalse(servers.changePlan("srv-1", new ServerPlanChange("paper-8g", 1100, 1999, "eur", 2_000)),
                "a repeat changes nothing");

        servers.markStatus("srv-1", new ServerStatusUpdate("TERMINATED", null, "gone", 0, 3_000));
        assertFalse(servers.changePlan("srv-1", new ServerPlanChange("paper-2g", 200, 499, "eur", 4_000)));
        assertEquals("paper-8g", servers.find("srv-1").orElseThrow().getString("planId"));
    }

    @Test
    void aCustomersPageListsTheirServersOnlyNewestFirstAndByStatus() {
        record("srv-2", "cust-2", 2_000);
        record("srv-3", "cust-1", 3_000);
        record("srv-3", "cust-1", 3_000); // a retried activity records again

        Paged<Document> mine = servers.page("cust-1", null, 0, 20);
        assertEquals(List.of("srv-3", "srv-1"), ids(mine));
        assertEquals(2, mine.total());
        assertEquals(List.of("srv-2"), ids(servers.page("cust-2", null, 0, 20)));
        assertEquals(0, servers.page("cust-3", null, 0, 20).total(), "a customer with no server");

        servers.markStatus("srv-1", new ServerStatusUpdate("SUSPENDED", SuspensionReason.NON_PAYMENT, "unpaid", 0, 4_000));
        assertEquals(List.of("srv-1"), ids(servers.page("cust-1", "SUSPENDED", 0, 20)));
        assertEquals(List.of("srv-1"), ids(servers.page("cust-1", null, 1, 1)));
        assertEquals(2, servers.page("cust-1", null, 1, 1).total());
        assertEquals(List.of("srv-3", "srv-2", "srv-1"), ids(servers.page(null, null, 0, 20)), "an admin's view");
    }

    @Test
    void recordsWrittenByAnEarlierVersionAreListedBySweep() {
        // as a version without customer lists wrote them: no list entry, no mark
        mongo.getDatabase("servers").getCollection("servers").insertOne(new Document("_id", "srv-old")
                .append("customerId", "cust-1").append("status", "ACTIVE").append("createdAt", new Date(500)));
        assertEquals(List.of("srv-1"), ids(servers.page("cust-1", null, 0, 20)));

        assertEquals(1, servers.listUnlisted());
        assertEquals(List.of("srv-old", "srv-1"), ids(servers.page("cust-1", null, 0, 20)));
        assertEquals(0, servers.listUnlisted(), "a second sweep finds nothing to do");
    }

    private void record(String serverId, String customerId, long createdAt) {
        servers.record(new ServerRecord(serverId, "o-" + serverId, customerId, "paper-4g", "Paper", "order:o-" + serverId,
                101, "uuid", "abcd1234", 7, 1, BillingCycle.MONTHLY, 1_000, PaymentMethod.TKCOINS, 500, 0, null,
                createdAt));
    }

    private static List<String> ids(Paged<Document> page) {
        return page.items().stream().map(d -> d.getString("_id")).toList();
    }
}
