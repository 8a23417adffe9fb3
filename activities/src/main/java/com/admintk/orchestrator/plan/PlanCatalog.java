package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The plans for sale ({@code plans}). */
@Singleton
public class PlanCatalog {

    private final MongoCollection<Document> plans;

    public PlanCatalog(Database database) {
        this.plans = database.collection("plans");
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
    }
}
