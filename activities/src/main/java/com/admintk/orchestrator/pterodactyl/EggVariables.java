package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.order.EggRules;
import com.admintk.orchestrator.order.EggVariableResolver;

import java.time.Duration;
import java.util.Map;

/**
 * The one check of game settings against an egg's rules, with regex rules time-bounded: used by the
 * {@code resolveEggVariables} activity before the charge and by the API at checkout, so both refuse the same values.
 */
public final class EggVariables {

    /**
     * Per regex rule. A well-formed rule on a value of a few hundred characters matches in microseconds; the budget
     * only stops patterns that backtrack for ever. Values are at most 255 characters at checkout; the cap covers plan
     * values and egg defaults too.
     */
    static final EggRules.RegexCheck REGEX = new BoundedRegex(Duration.ofMillis(100), 1024);

    private EggVariables() {
    }

    public static EggVariableResolver.Resolution resolve(EggSpec egg, Map<String, String> planValues,
                                                         Map<String, String> customerChoices) {
        return EggVariableResolver.resolve(egg, planValues, customerChoices, REGEX);
    }
}
