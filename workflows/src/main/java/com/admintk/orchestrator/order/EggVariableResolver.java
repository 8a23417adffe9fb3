package com.admintk.orchestrator.order;

import com.admintk.orchestrator.pterodactyl.EggSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The server's environment: for every egg variable, the customer's choice (only where the egg lets users edit),
 * else the plan's value, else the egg default; each checked against the variable's rules.
 */
public final class EggVariableResolver {

    private EggVariableResolver() {
    }

    public record Resolution(Map<String, String> environment, List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    public static Resolution resolve(EggSpec egg, Map<String, String> planValues, Map<String, String> customerChoices) {
        Map<String, String> plan = planValues == null ? Map.of() : planValues;
        Map<String, String> chosen = customerChoices == null ? Map.of() : customerChoices;
        // Sorted, so the environment (and the history that carries it) does not depend on map iteration order.
        Map<String, String> environment = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, EggSpec.EggVariable> byName = new TreeMap<>();
        for (EggSpec.EggVariable variable : egg.variables() == null ? List.<EggSpec.EggVariable>of() : egg.variables()) {
            byName.put(variable.envVariable(), variable);
        }
        for (String name : new TreeMap<>(chosen).keySet()) {
            EggSpec.EggVariable variable = byName.get(name);
            if (variable == null) {
                problems.add(name + ": is not a variable of this game");
            } else if (!variable.userEditable()) {
                problems.add(name + ": cannot be changed");
            }
        }
        for (EggSpec.EggVariable variable : byName.values()) {
            String name = variable.envVariable();
            String value = variable.userEditable() && chosen.containsKey(name) ? chosen.get(name)
                    : plan.containsKey(name) ? plan.get(name)
                    : variable.defaultValue();
            Optional<String> violation = EggRules.violation(value, variable.rules());
            violation.ifPresent(v -> problems.add(name + ": " + v));
            environment.put(name, value == null ? "" : value);
        }
        return new Resolution(environment, problems);
    }
}
