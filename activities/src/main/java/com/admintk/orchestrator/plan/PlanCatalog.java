package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plans for sale ({@code plans}).
 *
 * <p>{@link #forSale} serves checkouts from a short cache ({@code orchestrator.plans.cache-ttl}, default 5 s): a
 * plan is read once per TTL instead of once per order. Edits saved through this catalog clear it at once; an edit
 * made through another process (another api instance) is seen within the TTL.
 */
@Singleton
public class PlanCatalog {

    private record Cached(Optional<Plan> plan, long readAtNanos) {
    }

    private final MongoCollection<Document> plans;
    private final long cacheTtlNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public PlanCatalog(Database database, @Value("${orchestrator.plans.cache-ttl:5s}") Duration cacheTtl) {
        this.plans = database.collection("plans");
        this.cacheTtlNanos = cacheTtl.toNanos();
    }

    /** The plan as {@link #find} gives it, at most the cache TTL old: for the checkout path. */
    public Optional<Plan> forSale(String planId) {
        Cached cached = cache.get(planId);
        long now = System.nanoTime();
        if (cached != null && now - cached.readAtNanos() < cacheTtlNanos) {
            return cached.plan();
        }
        Optional<Plan> plan = find(planId);
        if (cacheTtlNanos > 0) {
            cache.put(planId, new Cached(plan, now));
        }
        return plan;
    }

    public List<Plan> listActive() {
        List<Plan> result = new ArrayList<>();
        plans.find(Filters.eq("active", true)).sort(Sorts.ascending("priceCoins")).forEach(doc -> result.add(Plan.from(doc)));
        return result;
    }

    public Optional<Plan> find(String planId) {
        return Optional.ofNullable(plans.find(Filters.eq("_id", planId)).first()).map(Plan::from);
    }

    /** Creates the plan or replaces its definition: seeding and admin edits are idempotent. */
    public void save(Plan plan) {
        List<String> problems = plan.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("plan " + plan.id() + " is invalid: " + String.join("; ", problems));
        }
        plans.updateOne(Filters.eq("_id", plan.id()), new Document("$set", plan.toDocument()), new UpdateOptions().upsert(true));
        cache.remove(plan.id());
    }
}
