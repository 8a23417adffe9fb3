package com.admintk.orchestrator.order;

import com.admintk.orchestrator.pterodactyl.EggSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's environment: for every egg variable, the customer's choice (only where the egg lets users edit),
 * else the plan's value, else the egg default; each checked against the variable's rules. The caller says how
 * {@code regex:} rules are run ({@link EggRules.RegexCheck}): time-bounded in activities and the API, never in
 * workflow code.
 */
public final class EggVariableResolver {

    private EggVariableResolver() {
    }

    /** One refused variable, and why, worded for the customer. */
    public record Refusal(String variable, String problem) {
        @Override
        public String toString() {
            return variable + ": " + problem;
        }
    }

    public record Resolution(Map<String, String> environment, List<Refusal> refusals) {
        public boolean valid() {
            return refusals.isEmpty();
        }

        /** {@code NAME: problem} for each refusal, in variable order. */
        public List<String> problems() {
            return refusals.stream().map(Refusal::toString).toList();
        }
    }

    public static Resolution resolve(EggSpec egg, Map<String, String> planValues, Map<String, String> customerChoices,
                                     EggRules.RegexCheck regexCheck) {
        Map<String, String> plan = planValues == null ? Map.of() : planValues;
        Map<String, String> chosen = customerChoices == null ? Map.of() : customerChoices;
        // Sorted, so the environment (and the history that carries it) does not depend on map iteration order.
        Map<String, String> environment = new TreeMap<>();
        List<Refusal> refusals = new ArrayList<>();
        Map<String, EggSpec.EggVariable> byName = new TreeMap<>();
        for (EggSpec.EggVariable variable : egg.variables() == null ? List.<EggSpec.EggVariable>of() : egg.variables()) {
            byName.put(variable.envVariable(), variable);
        }
        for (String name : new TreeMap<>(chosen).keySet()) {
            EggSpec.EggVariable variable = byName.get(name);
            if (variable == null) {
                refusals.add(new Refusal(name, "is not a variable of this game"));
            } else if (!variable.userEditable()) {
                refusals.add(new Refusal(name, "cannot be changed"));
            }
        }
        for (EggSpec.EggVariable variable : byName.values()) {
            String name = variable.envVariable();
            String value = variable.userEditable() && chosen.containsKey(name) ? chosen.get(name)
                    : plan.containsKey(name) ? plan.get(name)
                    : variable.defaultValue();
            Optional<String> violation = EggRules.violation(value, variable.rules(), regexCheck);
            violation.ifPresent(v -> refusals.add(new Refusal(name, v)));
            environment.put(name, value == null ? "" : value);
        }
        return new Resolution(environment, refusals);
    }
}
