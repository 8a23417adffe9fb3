package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.PlanPorts;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.bson.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plan the store sells: which egg, how big, where it may be placed, and what it costs.
 *
 * @param environment egg variable defaults of the plan; the customer may override user-editable ones
 * @param secretVariables egg variables whose values are secret (an RCON password): stored encrypted in the order
 *                    and never shown back. Names that read as a secret ({@link #SECRET_NAME}) are secret on every
 *                    plan without being listed, so a forgotten entry does not leave a password in clear.
 * @param egg         the egg's variables and rules as the panel had them when the plan was saved, so checkout can
 *                    refuse bad game settings without calling the panel; null when unknown, and then the order's
 *                    workflow checks them against the panel before the charge. Not part of the plan's JSON.
 * @param ports       several allocations per server and the egg variables that carry their ports (Rust's query,
 *                    RCON and app ports); null: one allocation
 * @param regions     the regions (panels) the plan is sold in; null or empty: the default region only. In a region
 *                    other than the default one (or one with configured locations) the server is placed on the
 *                    region's locations, not on {@code locationIds}
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
                   boolean active,
                   @Nullable Set<String> secretVariables,
                   @Nullable @JsonIgnore EggSpec egg,
                   @Nullable PlanPorts ports,
                   @Nullable List<String> regions) {

    /** A plan of one allocation in the default region only (the shape from before several ports and regions). */
    public Plan(String id, String name, String description, int nestId, int eggId, String dockerImage, String startup,
                Map<String, String> environment, ServerSpec.Limits limits, ServerSpec.FeatureLimits featureLimits,
                List<Integer> locationIds, List<String> portRanges, long priceCoins, long priceAmountMinor,
                String currency, BillingCycle billingCycle, boolean active, Set<String> secretVariables, EggSpec egg) {
        this(id, name, description, nestId, eggId, dockerImage, startup, environment, limits, featureLimits,
                locationIds, portRanges, priceCoins, priceAmountMinor, currency, billingCycle, active, secretVariables,
                egg, null, null);
    }

    /** A plan of the default region only (the shape from before regions). */
    public Plan(String id, String name, String description, int nestId, int eggId, String dockerImage, String startup,
                Map<String, String> environment, ServerSpec.Limits limits, ServerSpec.FeatureLimits featureLimits,
                List<Integer> locationIds, List<String> portRanges, long priceCoins, long priceAmountMinor,
                String currency, BillingCycle billingCycle, boolean active, Set<String> secretVariables, EggSpec egg,
                PlanPorts ports) {
        this(id, name, description, nestId, eggId, dockerImage, startup, environment, limits, featureLimits,
                locationIds, portRanges, priceCoins, priceAmountMinor, currency, billingCycle, active, secretVariables,
                egg, ports, null);
    }

    /** The same plan, sold in {@code soldIn}. */
    public Plan soldIn(List<String> soldIn) {
        return new Plan(id, name, description, nestId, eggId, dockerImage, startup, environment, limits,
                featureLimits, locationIds, portRanges, priceCoins, priceAmountMinor, currency, billingCycle, active,
                secretVariables, egg, ports, soldIn == null ? null : List.copyOf(soldIn));
    }

    /** The regions the plan is sold in; {@code defaultRegion} when it names none. */
    public List<String> regionsOr(String defaultRegion) {
        return regions == null || regions.isEmpty() ? List.of(defaultRegion) : regions;
    }

    public static final Pattern SECRET_NAME =
            Pattern.compile("(?i)(^|_)(PASS|PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY)(_|$)");

    public boolean isSecret(String variable) {
        return (secretVariables != null && secretVariables.contains(variable)) || SECRET_NAME.matcher(variable).find();
    }

    /** The customer's choices that are secret on this plan. */
    public Set<String> secretsAmong(Map<String, String> variables) {
        return variables.keySet().stream().filter(this::isSecret).collect(Collectors.toUnmodifiableSet());
    }

    public PlanSnapshot snapshot() {
        return snapshotOn(locationIds);
    }

    /** The plan as sold in a region, placed on that region's locations. */
    public PlanSnapshot snapshotOn(List<Integer> placedOn) {
        return new PlanSnapshot(id, nestId, eggId, dockerImage, startup, Map.copyOf(environment), limits, featureLimits,
                null, List.copyOf(placedOn), List.copyOf(portRanges), priceCoins, priceAmountMinor, currency,
                billingCycle, ports == null ? null
                        : new PlanPorts(ports.count(), ports.variables() == null ? Map.of() : Map.copyOf(ports.variables())));
    }

    /**
     * What makes the plan unsellable, empty when nothing does. The port mapping must fit the plan's allocation limit,
     * and a port variable the egg does not have would be refused by the panel on every create.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (ports != null) {
            problems.addAll(ports.problems(featureLimits == null ? 0 : featureLimits.allocations()));
            if (egg != null && ports.variables() != null) {
                Set<String> known = egg.variables().stream().map(EggSpec.EggVariable::envVariable)
                        .collect(Collectors.toSet());
                ports.variables().keySet().stream().filter(name -> name != null && !known.contains(name)).sorted()
                        .forEach(name -> problems.add("ports.variables: the egg has no variable " + name));
            }
        }
        return problems;
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
                .append("active", active)
                .append("secretVariables", secretVariables == null ? List.of() : new ArrayList<>(new TreeSet<>(secretVariables)))
                .append("egg", egg == null ? null : eggDocument(egg))
                .append("ports", ports == null ? null : new Document("count", ports.count())
                        .append("variables", new Document(new LinkedHashMap<String, Object>(
                                ports.variables() == null ? Map.of() : new java.util.TreeMap<>(ports.variables())))))
                .append("regions", regions == null ? null : new ArrayList<>(regions));
    }

    private static PlanPorts ports(Document doc) {
        if (doc == null) {
            return null;
        }
        Map<String, Integer> variables = new LinkedHashMap<>();
        Document v = doc.get("variables", Document.class);
        if (v != null) {
            v.forEach((name, index) -> variables.put(name, ((Number) index).intValue()));
        }
        return new PlanPorts(doc.getInteger("count", 1), variables);
    }

    private static Document eggDocument(EggSpec egg) {
        List<Document> variables = new ArrayList<>();
        for (EggSpec.EggVariable v : egg.variables()) {
            variables.add(new Document("envVariable", v.envVariable()).append("defaultValue", v.defaultValue())
                    .append("rules", v.rules()).append("userViewable", v.userViewable())
                    .append("userEditable", v.userEditable()));
        }
        return new Document("id", egg.id()).append("nestId", egg.nestId()).append("name", egg.name())
                .append("dockerImage", egg.dockerImage()).append("startup", egg.startup())
                .append("variables", variables);
    }

    private static EggSpec egg(Document doc) {
        if (doc == null) {
            return null;
        }
        List<EggSpec.EggVariable> variables = new ArrayList<>();
        for (Document v : doc.getList("variables", Document.class, List.of())) {
            variables.add(new EggSpec.EggVariable(v.getString("envVariable"), v.getString("defaultValue"),
                    v.getString("rules"), v.getBoolean("userViewable", false), v.getBoolean("userEditable", false)));
        }
        return new EggSpec(doc.getInteger("id"), doc.getInteger("nestId"), doc.getString("name"),
                doc.getString("dockerImage"), doc.getString("startup"), variables);
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
                BillingCycle.valueOf(doc.getString("billingCycle")), doc.getBoolean("active", true),
                new TreeSet<>(doc.getList("secretVariables", String.class, List.of())),
                egg(doc.get("egg", Document.class)), ports(doc.get("ports", Document.class)),
                doc.getList("regions", String.class) == null ? null
                        : new ArrayList<>(doc.getList("regions", String.class)));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0L;
    }
}
