package com.admintk.orchestrator.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How many allocations (ports) a plan's server gets, and which egg variables carry their ports. Index 0 is the
 * server's default allocation (the game port, which the panel itself passes as {@code SERVER_PORT}); indexes 1 to
 * {@code count - 1} are the additional allocations, in the order they are sent to the panel. Rust, for example:
 * {@code {"count": 4, "variables": {"QUERY_PORT": 1, "RCON_PORT": 2, "APP_PORT": 3}}}.
 *
 * <p>A plan without this field, or with {@code count} 1, gets one allocation as before.
 */
public record PlanPorts(int count, Map<String, Integer> variables) {

    /** More than the panel's seeded nodes hand one server in practice; a typo (40 for 4) is refused. */
    public static final int MAX_COUNT = 16;
    /** An egg variable's env name as the panel stores it. */
    private static final Pattern VARIABLE = Pattern.compile("^[A-Z0-9_]{1,191}$");

    /** Whether the plan asks for more than one allocation. */
    public static boolean multiple(PlanPorts ports) {
        return ports != null && ports.count() > 1;
    }

    /** Allocations one server of the plan takes (at least one). */
    public static int allocationsOf(PlanPorts ports) {
        return ports == null ? 1 : Math.max(1, ports.count());
    }

    /**
     * The environment with each mapped variable set to its allocation's port; {@code ports} are the default
     * allocation's port then the additional ones'. The plan's mapping wins over the plan's and the customer's values:
     * a port the server does not hold would not be reachable.
     */
    public Map<String, String> fill(Map<String, String> environment, List<Integer> ports) {
        Map<String, String> filled = new LinkedHashMap<>(environment == null ? Map.of() : environment);
        if (variables != null) {
            variables.forEach((name, index) -> {
                // An index past the allocations held cannot happen for a validated plan; never fail the workflow task.
                if (index != null && index >= 0 && index < ports.size()) {
                    filled.put(name, Integer.toString(ports.get(index)));
                }
            });
        }
        return filled;
    }

    /**
     * What is wrong with the mapping, for the plan it belongs to: empty when it is fine. {@code allocationLimit} is
     * the plan's {@code featureLimits.allocations}, which must leave room for every allocation the server is given.
     */
    public List<String> problems(int allocationLimit) {
        List<String> problems = new ArrayList<>();
        if (count < 1 || count > MAX_COUNT) {
            problems.add("ports.count must be between 1 and " + MAX_COUNT);
        }
        if (count > allocationLimit) {
            problems.add("ports.count (" + count + ") is more than featureLimits.allocations (" + allocationLimit + ")");
        }
        if (variables != null) {
            variables.forEach((name, index) -> {
                if (name == null || !VARIABLE.matcher(name).matches()) {
                    problems.add("ports.variables: '" + name + "' is not an egg variable name (A-Z, 0-9, _)");
                } else if (index == null || index < 0 || index >= Math.max(1, count)) {
                    problems.add("ports.variables." + name + " must be an allocation index from 0 to "
                            + (Math.max(1, count) - 1));
                }
            });
        }
        return problems;
    }
}
