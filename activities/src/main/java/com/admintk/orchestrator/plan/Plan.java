package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.micronaut.serde.annotation.Serdeable;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan the store sells: which egg, how big, where it may be placed, and what it costs.
 *
 * @param environment egg variable defaults of the plan; the customer may override user-editable ones
 */
@Serdeable
public record Plan(String id,
                   String name,
                   String description,
                   int nestId,
                   int eggId,
                   String dockerImage,
                   String startup,
                   Map<String, String> environment,
                   ServerSpec.Limits limits,
                   ServerSpec.FeatureLimits featureLimits,
                   List<Integer> locationIds,
                   List<String> portRanges,
                   long priceCoins,
                   long priceAmountMinor,
                   String currency,
                   BillingCycle billingCycle,
                   boolean active) {

    public PlanSnapshot snapshot() {
        return new PlanSnapshot(id, nestId, eggId, dockerImage, startup, Map.copyOf(environment), limits, featureLimits,
                null, List.copyOf(locationIds), List.copyOf(portRanges), priceCoins, priceAmountMinor, currency,
                billingCycle);
    }

    Document toDocument() {
        return new Document("name", name)
                .append("description", description)
                .append("nestId", nestId)
                .append("eggId", eggId)
                .append("dockerImage", dockerImage)
                .append("startup", startup)
                .append("environment", new Document(new LinkedHashMap<>(environment)))
                .append("limits", new Document("memory", limits.memory()).append("swap", limits.swap())
                        .append("disk", limits.disk()).append("io", limits.io()).append("cpu", limits.cpu()))
                .append("featureLimits", new Document("databases", featureLimits.databases())
                        .append("allocations", featureLimits.allocations()).append("backups", featureLimits.backups()))
                .append("locationIds", locationIds)
                .append("portRanges", portRanges)
                .append("priceCoins", priceCoins)
                .append("priceAmountMinor", priceAmountMinor)
                .append("currency", currency)
                .append("billingCycle", billingCycle.name())
                .append("active", active);
    }

    static Plan from(Document doc) {
        Map<String, String> environment = new LinkedHashMap<>();
        Document env = doc.get("environment", Document.class);
        if (env != null) {
            env.forEach((k, v) -> environment.put(k, String.valueOf(v)));
        }
        Document l = doc.get("limits", Document.class);
        Document f = doc.get("featureLimits", Document.class);
        return new Plan(doc.getString("_id"), doc.getString("name"), doc.getString("description"),
                doc.getInteger("nestId"), doc.getInteger("eggId"), doc.getString("dockerImage"), doc.getString("startup"),
                environment,
                new ServerSpec.Limits(l.getInteger("memory"), l.getInteger("swap"), l.getInteger("disk"),
                        l.getInteger("io"), l.getInteger("cpu")),
                new ServerSpec.FeatureLimits(f.getInteger("databases"), f.getInteger("allocations"), f.getInteger("backups")),
                new ArrayList<>(doc.getList("locationIds", Integer.class, List.of())),
                new ArrayList<>(doc.getList("portRanges", String.class, List.of())),
                number(doc.get("priceCoins")), number(doc.get("priceAmountMinor")), doc.getString("currency"),
                BillingCycle.valueOf(doc.getString("billingCycle")), doc.getBoolean("active", true));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
