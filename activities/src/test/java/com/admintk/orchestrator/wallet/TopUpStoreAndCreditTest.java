package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.payment.WalletEntry;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The top-up's activities against a real wallet and store (mongo-java-server in memory). */
class TopUpStoreAndCreditTest {

    private static MongoServer server;
    private static MongoClient client;
    private static Wallets wallets;
    private static WalletActivitiesImpl credits;
    private static TopUpStore topUps;

    @BeforeAll
    static void start() {
        server = new MongoServer(new MemoryBackend());
        InetSocketAddress address = server.bind();
        String uri = "mongodb://127.0.0.1:" + address.getPort() + "/topups";
        client = MongoClients.create(uri);
        Database database = new Database(client, uri);
        wallets = new Wallets(database);
        credits = new WalletActivitiesImpl(wallets);
        topUps = new TopUpStore(database);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.shutdownNow();
    }

    @Test
    void aCreditRepeatedUnderTheTopUpsKeyGivesTheCoinsOnce() {
        wallets.ensureWallet("c-credit", 100);
        WalletCredit first = credits.credit(TopUpIds.creditKey("top_1"), "c-credit", 500, "top-up top_1");
        WalletCredit again = credits.credit(TopUpIds.creditKey("top_1"), "c-credit", 500, "top-up top_1");

        assertEquals(first, again);
        assertEquals(600, first.balanceAfter());
        assertEquals(600, wallets.balance("c-credit"));
        List<WalletEntry> entries = wallets.entries("c-credit", 0, 10).entries();
        assertEquals(1, entries.stream().filter(e -> e.key().equals(TopUpIds.creditKey("top_1"))).count());
    }

    @Test
    void aKeyHoldingAnotherMovementIsRefusedForGood() {
        wallets.ensureWallet("c-reused", 1000);
        wallets.debit(TopUpIds.creditKey("top_2"), "c-reused", 10, "something else");

        ApplicationFailure refused = assertThrows(ApplicationFailure.class,
                () -> credits.credit(TopUpIds.creditKey("top_2"), "c-reused", 500, "top-up top_2"));
        assertEquals(TopUpFailures.LEDGER_KEY_REUSED, refused.getType());
        assertTrue(refused.isNonRetryable());
        assertEquals(990, wallets.balance("c-reused"));
    }

    @Test
    void aFinishedTopUpIsNeverChangedAgain() {
        TopUp created = topUps.createOnce(TopUp.pending("top_3", "c-store", 500, 500, "eur"));
        assertEquals(created, topUps.createOnce(TopUp.pending("top_3", "c-store", 500, 500, "eur")));
        assertEquals(TopUpStatus.PENDING, created.status());
        assertEquals(TopUpIds.paymentId("top_3"), created.paymentId());

        assertTrue(topUps.markCredited("top_3", "pi_3", TopUpIds.creditKey("top_3")));
        assertFalse(topUps.markCredited("top_3", "pi_3", TopUpIds.creditKey("top_3")));
        assertFalse(topUps.markFailed("top_3", "pi_3", "PAYMENT_DECLINED", "late"));

        TopUp stored = topUps.find("top_3").orElseThrow();
        assertEquals(TopUpStatus.CREDITED, stored.status());
        assertEquals("pi_3", stored.providerPaymentId());
        assertEquals(TopUpIds.creditKey("top_3"), stored.ledgerKey());
        assertEquals(List.of(stored), topUps.list("c-store", null, 0, 10));
        assertEquals(0, topUps.list("c-store", TopUpStatus.FAILED, 0, 10).size());
        assertEquals(0, topUps.count("c-nobody", null));
    }
}
