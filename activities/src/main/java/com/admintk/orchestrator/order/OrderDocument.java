package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.security.SecretCipher;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One order as stored: what was bought, by whom, and how far its saga got.
 *
 * @param eggVariables    the customer's game settings, in clear in memory
 * @param secretVariables which of them are secret (see {@code Plan#isSecret}): stored encrypted with
 *                        {@link SecretCipher} under {@code secretEggVariables}, never in clear in MongoDB
 */
public record OrderDocument(String id,
                            String customerId,
                            String placedBy,
                            String planId,
                            String serverName,
                            Map<String, String> eggVariables,
                            PaymentMethod paymentMethod,
                            int attempt,
                            OrderStatus status,
                            String reason,
                            String serverId,
                            List<StepRecord> timeline,
                            Date createdAt,
                            Date updatedAt,
                            Set<String> secretVariables) {

    public OrderDocument {
        secretVariables = secretVariables == null ? Set.of() : Set.copyOf(secretVariables);
    }

    Document toDocument(Date now, SecretCipher cipher) {
        Document clear = new Document();
        Document sealed = new Document();
        eggVariables.forEach((name, value) -> {
            if (secretVariables.contains(name)) {
                sealed.append(name, cipher.encrypt(value));
            } else {
                clear.append(name, value);
            }
        });
        return new Document("_id", id)
                .append("customerId", customerId)
                .append("placedBy", placedBy)
                .append("planId", planId)
                .append("serverName", serverName)
                .append("eggVariables", clear)
                .append("secretEggVariables", sealed)
                .append("paymentMethod", paymentMethod.name())
                .append("attempt", attempt)
                .append("status", status.name())
                .append("reason", reason)
                .append("serverId", serverId)
                .append("timeline", timelineToDocuments(timeline))
                .append("createdAt", now)
                .append("updatedAt", now);
    }

    static OrderDocument from(Document doc, SecretCipher cipher) {
        Map<String, String> variables = new LinkedHashMap<>();
        Document vars = doc.get("eggVariables", Document.class);
        if (vars != null) {
            vars.forEach((k, v) -> variables.put(k, String.valueOf(v)));
        }
        Set<String> secret = new TreeSet<>();
        Document sealed = doc.get("secretEggVariables", Document.class);
        if (sealed != null) {
            sealed.forEach((k, v) -> {
                variables.put(k, cipher.decrypt(String.valueOf(v)));
                secret.add(k);
            });
        }
        List<StepRecord> timeline = new ArrayList<>();
        List<Document> steps = doc.getList("timeline", Document.class);
        if (steps != null) {
            for (Document step : steps) {
                timeline.add(new StepRecord(step.getString("name"), StepState.valueOf(step.getString("state")),
                        step.getInteger("attempts", 0), step.getString("lastError"), step.getLong("startedAt"),
                        step.getLong("finishedAt"), step.getLong("compensatedAt")));
            }
        }
        return new OrderDocument(doc.getString("_id"), doc.getString("customerId"), doc.getString("placedBy"),
                doc.getString("planId"), doc.getString("serverName"), variables,
                PaymentMethod.valueOf(doc.getString("paymentMethod")), doc.getInteger("attempt", 1),
                OrderStatus.valueOf(doc.getString("status")), doc.getString("reason"), doc.getString("serverId"),
                timeline, doc.getDate("createdAt"), doc.getDate("updatedAt"), secret);
    }

    static List<Document> timelineToDocuments(List<StepRecord> timeline) {
        List<Document> steps = new ArrayList<>();
        if (timeline != null) {
            for (StepRecord step : timeline) {
                steps.add(new Document("name", step.name()).append("state", step.state().name())
                        .append("attempts", step.attempts()).append("lastError", step.lastError())
                        .append("startedAt", step.startedAt()).append("finishedAt", step.finishedAt())
                        .append("compensatedAt", step.compensatedAt()));
            }
        }
        return steps;
    }
}
