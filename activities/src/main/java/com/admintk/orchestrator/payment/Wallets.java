package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.store.Database;
import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.PushOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.result.UpdateResult;
import io.micronaut.context.annotation.Property;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TK-Coins wallets in MongoDB, without multi-document transactions.
 *
 * <p>The balance lives in one document per customer ({@code wallets}). Every movement is a compare-and-set on that
 * document's {@code version}: read it, decide (key already there? enough coins?), then
 * {@code updateOne({_id, version: v}, {$set: {balance, version: v+1}, $push: {recent: entry}})}. The read and the
 * write see the same version, so the decision and the key check are atomic with the move, and the entry carries the
 * exact balance after it. A plain conditional {@code $inc} would be as atomic but could not tell the balance after
 * without a {@code findOneAndUpdate(AFTER)}, which mongo-java-server answers wrongly under concurrency.
 *
 * <p>The wallet document keeps its last {@value #RECENT_KEYS} entries ({@code recent}); that is what makes a repeated
 * key a no-op. The full history is {@code wallet_ledger}, {@code _id} = ledger key, written after the balance with
 * an upsert of {@code $setOnInsert}; a retry after a crash between the two writes finds the entry in {@code recent}
 * and completes the ledger.
 */
@Singleton
public class Wallets {

    static final int RECENT_KEYS = 500;
    static final String WALLETS = "wallets";
    static final String LEDGER = "wallet_ledger";
    /** On a refund's credit: the key of the debit it gives back. */
    static final String REFUND_OF = "refundOf";
    private static final int MAX_ATTEMPTS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(Wallets.class);

    private final MongoCollection<Document> wallets;
    private final MongoCollection<Document> ledger;

    @Inject
    public Wallets(Database database) {
        this(database.mongo());
    }

    public Wallets(MongoDatabase database) {
        this.wallets = database.getCollection(WALLETS);
        this.ledger = database.getCollection(LEDGER);
        try {
            ledger.createIndex(Indexes.compoundIndex(Indexes.ascending("customerId"), Indexes.descending("version")),
                    new IndexOptions().name("customer_history"));
            ledger.createIndex(Indexes.ascending(REFUND_OF), new IndexOptions().name("refunds_by_debit").sparse(true));
        } catch (RuntimeException e) {
            // Only speeds up reads; a database that is down now must not stop the app from starting.
            log.warn("could not create the wallet history index: {}", e.toString());
        }
    }

    /** The balance; 0 for a customer without a wallet. */
    public long balance(String customerId) {
        Document wallet = wallets.find(Filters.eq("_id", customerId)).first();
        return wallet == null ? 0 : wallet.get("balance", Number.class).longValue();
    }

    /** History, newest first, {@code page} from 0. Voided keys are bookkeeping and are left out. */
    public WalletEntries entries(String customerId, int page, int size) {
        int safeSize = Math.max(1, Math.min(size, 200));
        int safePage = Math.max(0, page);
        Bson filter = Filters.and(Filters.eq("customerId", customerId), Filters.ne("type", WalletEntry.Type.VOID.name()));
        List<WalletEntry> entries = new ArrayList<>();
        for (Document d : ledger.find(filter).sort(Sorts.descending("version"))
                .skip(safePage * safeSize).limit(safeSize)) {
            entries.add(toEntry(d));
        }
        return new WalletEntries(customerId, balance(customerId), entries, safePage, safeSize,
                ledger.countDocuments(filter));
    }

    /** The entry made under {@code key} for this customer, if any (voids included). */
    public Optional<WalletEntry> entry(String customerId, String key) {
        Document stored = ledger.find(Filters.eq("_id", key)).first();
        if (stored != null) {
            return Optional.of(toEntry(stored));
        }
        Document wallet = wallets.find(Filters.eq("_id", customerId)).first();
        return recentEntry(wallet, key).map(e -> toEntry(e, customerId));
    }

    /**
     * Takes {@code coins} once per {@code key}: a repeat answers the first entry. Throws {@link WalletException}
     * {@code INSUFFICIENT_FUNDS} (also for a customer without a wallet), {@code LEDGER_KEY_REUSED} or
     * {@code DEBIT_VOIDED}.
     */
    public WalletEntry debit(String key, String customerId, long coins, String reason) {
        requirePositive(coins);
        WalletEntry entry = apply(key, customerId, WalletEntry.Type.DEBIT, coins, reason, null);
        if (entry.type() == WalletEntry.Type.VOID) {
            throw new WalletException(WalletException.DEBIT_VOIDED,
                    "debit " + key + " was given up before it landed: " + entry.reason());
        }
        // A repeat answers the first debit; once that debit was refunded, answering it would pay for something
        // that was given back (a second run of a refunded order would provision for free).
        if (refunded(key, customerId)) {
            throw new WalletException(WalletException.DEBIT_REFUNDED,
                    "debit " + key + " was refunded and cannot pay again");
        }
        return entry;
    }

    /** Gives {@code coins} once per {@code key}; creates the wallet if needed. */
    public WalletEntry credit(String key, String customerId, long coins, String reason) {
        requirePositive(coins);
        return apply(key, customerId, WalletEntry.Type.CREDIT, coins, reason, null);
    }

    /**
     * Gives back the coins of the debit under {@code debitKey}, once per {@code refundKey}. The credit names the
     * debit it undoes, so that debit can never be answered as a successful payment again.
     */
    public WalletEntry refund(String refundKey, String debitKey, String customerId, long coins, String reason) {
        requirePositive(coins);
        return apply(refundKey, customerId, WalletEntry.Type.CREDIT, coins, reason, Objects.requireNonNull(debitKey));
    }

    /**
     * Makes sure the wallet exists and was seeded with {@code initialCoins} once (ledger key {@code seed:{id}}):
     * calling it again, or after the customer spent the coins, gives nothing more.
     */
    public long ensureWallet(String customerId, long initialCoins) {
        if (initialCoins > 0) {
            try {
                apply("seed:" + customerId, customerId, WalletEntry.Type.CREDIT, initialCoins, "initial balance", null);
            } catch (WalletException e) {
                // Seeded before with another amount: the first seeding stands.
                if (!WalletException.LEDGER_KEY_REUSED.equals(e.code())) {
                    throw e;
                }
            }
        } else if (wallets.find(Filters.eq("_id", customerId)).first() == null) {
            try {
                wallets.insertOne(newWallet(customerId, 0, 0, List.of()));
            } catch (MongoWriteException e) {
                rethrowUnlessDuplicate(e);
            }
        }
        return balance(customerId);
    }

    /**
     * Burns {@code debitKey} so that a debit arriving later under it takes nothing. Answers the entry that holds the
     * key: the void, or the debit itself when it landed first (then it must be refunded).
     */
    public WalletEntry voidDebit(String debitKey, String customerId, String reason) {
        return apply(debitKey, customerId, WalletEntry.Type.VOID, 0, reason, null);
    }

    private WalletEntry apply(String key, String customerId, WalletEntry.Type type, long coins, String reason,
                              String refundOf) {
        Objects.requireNonNull(key, "ledger key");
        Objects.requireNonNull(customerId, "customer id");
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Document stored = ledger.find(Filters.eq("_id", key)).first();
            if (stored != null) {
                return sameMove(toEntry(stored), customerId, type, coins);
            }
            Document wallet = wallets.find(Filters.eq("_id", customerId)).first();
            Optional<Document> recent = recentEntry(wallet, key);
            if (recent.isPresent()) {
                // Applied, but the ledger write may have been lost in a crash: complete it.
                record(recent.get(), customerId);
                return sameMove(toEntry(recent.get(), customerId), customerId, type, coins);
            }
            long balance = wallet == null ? 0 : wallet.get("balance", Number.class).longValue();
            long version = wallet == null ? 0 : wallet.get("version", Number.class).longValue();
            if (type == WalletEntry.Type.DEBIT && balance < coins) {
                throw new WalletException(WalletException.INSUFFICIENT_FUNDS,
                        "wallet of " + customerId + " holds " + balance + " TK-Coins, " + coins + " needed");
            }
            long after = switch (type) {
                case DEBIT -> balance - coins;
                case CREDIT -> Math.addExact(balance, coins);
                case VOID -> balance;
            };
            Date now = new Date();
            Document entry = new Document("key", key).append("type", type.name()).append("coins", coins)
                    .append("balanceAfter", after).append("reason", reason).append("version", version + 1)
                    .append("at", now);
            if (refundOf != null) {
                entry.append(REFUND_OF, refundOf);
            }
            if (wallet == null) {
                try {
                    wallets.insertOne(newWallet(customerId, after, version + 1, List.of(entry)));
                } catch (MongoWriteException e) {
                    rethrowUnlessDuplicate(e);
                    continue;
                }
            } else {
                UpdateResult result = wallets.updateOne(
                        Filters.and(Filters.eq("_id", customerId), Filters.eq("version", version)),
                        Updates.combine(Updates.set("balance", after), Updates.set("version", version + 1),
                                Updates.set("updatedAt", now),
                                Updates.pushEach("recent", List.of(entry), new PushOptions().slice(-RECENT_KEYS))));
                if (result.getModifiedCount() == 0) {
                    backOff(attempt);
                    continue;
                }
            }
            record(entry, customerId);
            return toEntry(entry, customerId);
        }
        throw new IllegalStateException("wallet " + customerId + " too contended: gave up after " + MAX_ATTEMPTS);
    }

    /** Writes the history line once; a concurrent or repeated write of the same key is the same line. */
    private void record(Document entry, String customerId) {
        Document onInsert = new Document("customerId", customerId).append("type", entry.get("type"))
                .append("coins", entry.get("coins")).append("balanceAfter", entry.get("balanceAfter"))
                .append("reason", entry.get("reason")).append("version", entry.get("version"))
                .append("createdAt", entry.get("at"));
        if (entry.get(REFUND_OF) != null) {
            onInsert.append(REFUND_OF, entry.get(REFUND_OF));
        }
        try {
            ledger.updateOne(Filters.eq("_id", entry.getString("key")), new Document("$setOnInsert", onInsert),
                    new UpdateOptions().upsert(true));
        } catch (MongoWriteException e) {
            rethrowUnlessDuplicate(e);
        }
    }

    /** A repeat must be the same move; a key used for something else is a caller bug, refused loudly. */
    private static WalletEntry sameMove(WalletEntry existing, String customerId, WalletEntry.Type type, long coins) {
        boolean voidMeetsDebit = type == WalletEntry.Type.VOID && existing.type() == WalletEntry.Type.DEBIT
                || type == WalletEntry.Type.DEBIT && existing.type() == WalletEntry.Type.VOID;
        boolean same = existing.customerId().equals(customerId)
                && (voidMeetsDebit || existing.type() == type && existing.coins() == coins);
        if (!same) {
            throw new WalletException(WalletException.LEDGER_KEY_REUSED, "ledger key " + existing.key()
                    + " already holds a " + existing.type() + " of " + existing.coins() + " for "
                    + existing.customerId());
        }
        return existing;
    }

    /** Whether a refund names {@code debitKey}: in the wallet's recent entries, or in the ledger for older ones. */
    private boolean refunded(String debitKey, String customerId) {
        Document wallet = wallets.find(Filters.eq("_id", customerId)).first();
        boolean recent = wallet != null && wallet.getList("recent", Document.class, List.of()).stream()
                .anyMatch(e -> debitKey.equals(e.getString(REFUND_OF)));
        return recent || ledger.find(Filters.and(Filters.eq(REFUND_OF, debitKey), Filters.eq("customerId", customerId)))
                .first() != null;
    }

    private static Optional<Document> recentEntry(Document wallet, String key) {
        if (wallet == null) {
            return Optional.empty();
        }
        List<Document> recent = wallet.getList("recent", Document.class, List.of());
        return recent.stream().filter(e -> key.equals(e.getString("key"))).findFirst();
    }

    private static Document newWallet(String customerId, long balance, long version, List<Document> recent) {
        Date now = new Date();
        return new Document("_id", customerId).append("balance", balance).append("version", version)
                .append("recent", new ArrayList<>(recent)).append("createdAt", now).append("updatedAt", now);
    }

    private static WalletEntry toEntry(Document ledgerDoc) {
        return new WalletEntry(ledgerDoc.getString("_id"), ledgerDoc.getString("customerId"),
                WalletEntry.Type.valueOf(ledgerDoc.getString("type")), ledgerDoc.get("coins", Number.class).longValue(),
                ledgerDoc.get("balanceAfter", Number.class).longValue(), ledgerDoc.getString("reason"),
                instant(ledgerDoc.getDate("createdAt")));
    }

    private static WalletEntry toEntry(Document recent, String customerId) {
        return new WalletEntry(recent.getString("key"), customerId, WalletEntry.Type.valueOf(recent.getString("type")),
                recent.get("coins", Number.class).longValue(), recent.get("balanceAfter", Number.class).longValue(),
                recent.getString("reason"), instant(recent.getDate("at")));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static void requirePositive(long coins) {
        if (coins <= 0) {
            throw new IllegalArgumentException("coins must be positive: " + coins);
        }
    }

    private static void rethrowUnlessDuplicate(MongoWriteException e) {
        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
            throw e;
        }
    }

    /** Spreads contenders on a hot wallet so they stop colliding; only after a lost compare-and-set. */
    private static void backOff(int attempt) {
        if (attempt > 3) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000, 200_000L * Math.min(attempt, 20)));
        }
        if (attempt == 1000) {
            log.warn("wallet compare-and-set lost 1000 times in a row");
        }
    }
}
