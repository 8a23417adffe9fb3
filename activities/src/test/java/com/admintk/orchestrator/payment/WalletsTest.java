package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.store.Database;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WalletsTest {

    private static MongoForTests mongo;
    private static Wallets wallets;

    @BeforeAll
    static void start() {
        mongo = new MongoForTests();
        wallets = new Wallets(new Database(mongo.client(), mongo.uri()));
    }

    @AfterAll
    static void stop() {
        mongo.close();
    }

    @Test
    void aDebitTakesTheCoinsAndARepeatReturnsTheFirstEntry() {
        wallets.ensureWallet("c-repeat", 1000);
        WalletEntry first = wallets.debit("debit:p1", "c-repeat", 300, "order o1");
        WalletEntry again = wallets.debit("debit:p1", "c-repeat", 300, "order o1");
        assertEquals(700, first.balanceAfter());
        assertEquals(first, again);
        assertEquals(700, wallets.balance("c-repeat"));
    }

    @Test
    void aDebitLargerThanTheBalanceFailsAndTakesNothing() {
        wallets.ensureWallet("c-poor", 100);
        WalletException e = assertThrows(WalletException.class, () -> wallets.debit("debit:p2", "c-poor", 101, "o"));
        assertEquals(WalletException.INSUFFICIENT_FUNDS, e.code());
        assertEquals(100, wallets.balance("c-poor"));
        assertThrows(WalletException.class, () -> wallets.debit("debit:p3", "c-nobody", 1, "o"));
    }

    @Test
    void fiftyConcurrentDebitsUnderOneKeyTakeTheMoneyOnce() throws Exception {
        wallets.ensureWallet("c-race", 10_000);
        List<WalletEntry> results = race(50, i -> wallets.debit("debit:same", "c-race", 700, "order"));
        assertEquals(1, new HashSet<>(results).size(), "every caller sees the one entry");
        assertEquals(9_300, wallets.balance("c-race"));
        assertEquals(1, mongo.database().getCollection(Wallets.LEDGER)
                .countDocuments(Filters.eq("customerId", "c-race")) - 1, "one debit besides the seed");
    }

    @Test
    void concurrentDebitsUnderDifferentKeysNeverGoBelowZero() throws Exception {
        wallets.ensureWallet("c-drain", 1_000);
        List<Object> outcomes = race(50, i -> {
            try {
                return wallets.debit("debit:k" + i, "c-drain", 70, "order " + i);
            } catch (WalletException e) {
                return e.code();
            }
        });
        long taken = outcomes.stream().filter(WalletEntry.class::isInstance).count();
        long refused = outcomes.stream().filter(WalletException.INSUFFICIENT_FUNDS::equals).count();
        assertEquals(14, taken, "1000 / 70 = 14 debits fit");
        assertEquals(36, refused);
        assertEquals(1_000 - 14 * 70, wallets.balance("c-drain"));
        Set<Long> balancesAfter = new HashSet<>();
        outcomes.stream().filter(WalletEntry.class::isInstance).map(WalletEntry.class::cast)
                .forEach(e -> balancesAfter.add(e.balanceAfter()));
        assertEquals(14, balancesAfter.size(), "each debit saw its own exact balance");
        assertTrue(balancesAfter.stream().allMatch(b -> b >= 0));
    }

    @Test
    void creditsAreIdempotentAndCreateTheWallet() {
        wallets.credit("admin:gift-1", "c-new", 250, "welcome gift");
        wallets.credit("admin:gift-1", "c-new", 250, "welcome gift");
        assertEquals(250, wallets.balance("c-new"));
        WalletException e = assertThrows(WalletException.class,
                () -> wallets.credit("admin:gift-1", "c-new", 999, "other"));
        assertEquals(WalletException.LEDGER_KEY_REUSED, e.code());
    }

    @Test
    void seedingTwiceGivesTheInitialCoinsOnce() {
        assertEquals(10_000, wallets.ensureWallet("c-seed", 10_000));
        wallets.debit("debit:s1", "c-seed", 4_000, "order");
        assertEquals(6_000, wallets.ensureWallet("c-seed", 10_000));
        assertEquals(0, wallets.ensureWallet("c-empty", 0));
    }

    @Test
    void aVoidedDebitKeyTakesNothingWhenTheDebitArrivesLate() {
        wallets.ensureWallet("c-void", 500);
        WalletEntry voided = wallets.voidDebit("debit:late", "c-void", "payment cancelled");
        assertEquals(WalletEntry.Type.VOID, voided.type());
        WalletException e = assertThrows(WalletException.class, () -> wallets.debit("debit:late", "c-void", 100, "o"));
        assertEquals(WalletException.DEBIT_VOIDED, e.code());
        assertEquals(500, wallets.balance("c-void"));
        WalletEntry landed = wallets.debit("debit:early", "c-void", 100, "o");
        assertEquals(landed, wallets.voidDebit("debit:early", "c-void", "too late"), "a landed debit is not voided");
    }

    @Test
    void aRefundedDebitNeverAnswersAsPaidAgainEvenOnceOutOfTheRecentKeys() {
        wallets.ensureWallet("c-refunded", 1_000);
        wallets.debit("debit:r1", "c-refunded", 300, "order");
        wallets.refund("refund:r1", "debit:r1", "c-refunded", 300, "install failed");
        WalletException e = assertThrows(WalletException.class, () -> wallets.debit("debit:r1", "c-refunded", 300, "o"));
        assertEquals(WalletException.DEBIT_REFUNDED, e.code());
        assertEquals(1_000, wallets.balance("c-refunded"));
        // Past the wallet's recent window only the ledger remembers the refund.
        mongo.database().getCollection(Wallets.WALLETS).updateOne(Filters.eq("_id", "c-refunded"),
                new org.bson.Document("$set", new org.bson.Document("recent", List.of())));
        assertEquals(WalletException.DEBIT_REFUNDED, assertThrows(WalletException.class,
                () -> wallets.debit("debit:r1", "c-refunded", 300, "o")).code());
        assertEquals(1_000, wallets.balance("c-refunded"));
        // A debit that was not refunded still answers its first entry on a repeat.
        WalletEntry kept = wallets.debit("debit:r2", "c-refunded", 200, "order");
        assertEquals(kept, wallets.debit("debit:r2", "c-refunded", 200, "order"));
    }

    @Test
    void aCrashBetweenBalanceAndLedgerIsCompletedByTheRetry() {
        wallets.ensureWallet("c-crash", 900);
        WalletEntry first = wallets.debit("debit:crash", "c-crash", 400, "order");
        // The ledger line is lost, as if the process died after the balance update.
        mongo.database().getCollection(Wallets.LEDGER).deleteOne(Filters.eq("_id", "debit:crash"));
        WalletEntry retried = wallets.debit("debit:crash", "c-crash", 400, "order");
        assertEquals(first, retried);
        assertEquals(500, wallets.balance("c-crash"));
        assertEquals(1, mongo.database().getCollection(Wallets.LEDGER).countDocuments(Filters.eq("_id", "debit:crash")));
    }

    @Test
    void historyPagesNewestFirst() {
        wallets.ensureWallet("c-history", 1_000);
        for (int i = 1; i <= 5; i++) {
            wallets.debit("debit:h" + i, "c-history", 10 * i, "order " + i);
        }
        WalletEntries firstPage = wallets.entries("c-history", 0, 4);
        assertEquals(6, firstPage.total());
        assertEquals(850, firstPage.balance());
        assertEquals(List.of("debit:h5", "debit:h4", "debit:h3", "debit:h2"),
                firstPage.entries().stream().map(WalletEntry::key).toList());
        assertEquals(List.of("debit:h1", "seed:c-history"),
                wallets.entries("c-history", 1, 4).entries().stream().map(WalletEntry::key).toList());
    }

    interface Attempt<T> {
        T run(int i) throws Exception;
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> race(int n, Attempt<? extends T> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    go.await();
                    return attempt.run(index);
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
