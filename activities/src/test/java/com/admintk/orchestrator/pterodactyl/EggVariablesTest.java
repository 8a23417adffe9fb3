package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.order.EggRules;
import com.admintk.orchestrator.order.EggVariableResolver;
import com.admintk.orchestrator.order.OrderFailures;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The egg check shared by the resolving activity and checkout: the rules, with regex rules bounded in time. */
class EggVariablesTest {

    private static final String NESTED = "required|regex:/^(a+)+$/";
    /**
     * Still catastrophic on Java 17, whose matcher memoizes plain nested loops such as {@code ^(a+)+$}: a
     * backreference defeats that, and so does a repeated group holding {@code .*} (polynomial of degree 12).
     */
    private static final List<String> CATASTROPHIC = List.of("required|regex:/^((a+)\\2?)+$/",
            "required|regex:/(.*a){12}$/");
    private static final String EVIL_INPUT = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!";
    /** Unbounded, these matches take hours. The guard only turns a hang into a failure; it measures nothing. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private static EggSpec egg(EggSpec.EggVariable... variables) {
        return new EggSpec(3, 1, "Paper", "ghcr.io/pterodactyl/yolks:java_21", "java -jar {{SERVER_JARFILE}}",
                List.of(variables));
    }

    private static EggSpec.EggVariable editable(String name, String defaultValue, String rules) {
        return new EggSpec.EggVariable(name, defaultValue, rules, true, true);
    }

    private static Optional<String> check(String value, String rules) {
        return EggRules.violation(value, rules, EggVariables.REGEX);
    }

    @Test
    void regexRulesFindAMatchLikePregMatchWithTheirFlagsAndAlternations() {
        assertTrue(check("server.jar", "required|regex:/^([\\w\\d._-]+)(\\.jar)$/").isEmpty());
        assertEquals(Optional.of("has an invalid format"), check("server.exe", "required|regex:/^([\\w\\d._-]+)(\\.jar)$/"));
        assertTrue(check("latest", "required|string|regex:/^(latest|[0-9.]+)$/|max:10").isEmpty());
        assertFalse(check("nightly", "required|string|regex:/^(latest|[0-9.]+)$/|max:10").isEmpty());
        assertTrue(check("LATEST", "regex:/^latest$/i").isEmpty());
        assertTrue(check("my-1.20.jar", "regex:/\\d+/").isEmpty(), "unanchored: a match anywhere will do");
    }

    @Test
    void theNestedQuantifierOfTheTextbookEndsWithARefusal() {
        Optional<String> refusal = assertTimeoutPreemptively(HANG_GUARD, () -> check(EVIL_INPUT, NESTED));

        assertTrue(refusal.isPresent(), "refused, whether the matcher settles it or the budget does");
        assertTrue(check("aaaa", NESTED).isEmpty());
    }

    @Test
    void aCatastrophicPatternIsARefusedValueNotAHang() {
        for (String rules : CATASTROPHIC) {
            Optional<String> refusal = assertTimeoutPreemptively(HANG_GUARD, () -> check(EVIL_INPUT, rules));

            assertTrue(refusal.isPresent(), rules + ": a value the rule cannot settle in time is refused");
            assertEquals("could not be checked against its format in time: choose a simpler value", refusal.get());
        }
        // The same rule still accepts and refuses ordinary values on their merits.
        assertTrue(check("aaaa", CATASTROPHIC.get(0)).isEmpty());
        assertEquals(Optional.of("has an invalid format"), check("ab", CATASTROPHIC.get(0)));
    }

    @Test
    void theResolverNamesTheVariableWhoseRuleTimedOutAndKeepsCheckingTheOthers() {
        EggSpec egg = egg(editable("WORLD_NAME", "aaaa", CATASTROPHIC.get(1)),
                editable("MAX_PLAYERS", "20", "required|integer|between:1,200"));

        EggVariableResolver.Resolution resolution = assertTimeoutPreemptively(HANG_GUARD, () ->
                EggVariables.resolve(egg, Map.of(), Map.of("WORLD_NAME", EVIL_INPUT, "MAX_PLAYERS", "500")));

        assertFalse(resolution.valid());
        assertEquals(List.of("MAX_PLAYERS", "WORLD_NAME"),
                resolution.refusals().stream().map(EggVariableResolver.Refusal::variable).toList());
        assertTrue(resolution.problems().get(1).startsWith("WORLD_NAME: could not be checked"), resolution.problems().toString());
    }

    @Test
    void inputPastTheLengthCapIsRefusedWithoutRunningThePattern() {
        BoundedRegex bounded = new BoundedRegex(Duration.ofSeconds(1), 8);
        Pattern digits = Pattern.compile("^\\d+$");

        assertEquals(Optional.empty(), bounded.violation(digits, "12345678"));
        assertEquals(Optional.of("has an invalid format"), bounded.violation(digits, "1234567x"));
        Optional<String> refusal = bounded.violation(digits, "123456789");
        assertTrue(refusal.orElseThrow().contains("at most 8 characters"), refusal.toString());
    }

    @Test
    void theActivityReadsTheEggFromThePanelAndRefusesBadSettingsForGood() {
        try (PanelSimulator sim = PanelSim.start(Duration.ofMillis(150))) {
            PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(PanelSim.client(sim));

            ResolvedEgg resolved = activities.resolveEggVariables(1, 3, Map.of("BUILD_NUMBER", "120"),
                    Map.of("MINECRAFT_VERSION", "1.21"), null);
            assertEquals("ghcr.io/pterodactyl/yolks:java_21", resolved.dockerImage());
            assertEquals(Map.of("MINECRAFT_VERSION", "1.21", "SERVER_JARFILE", "server.jar", "DL_PATH", "",
                    "BUILD_NUMBER", "120"), resolved.environment());

            ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> activities.resolveEggVariables(
                    1, 3, Map.of(), Map.of("SERVER_JARFILE", "not-a-jar", "DL_PATH", "/tmp"), null));
            assertEquals(OrderFailures.EGG_VARIABLES_INVALID, refused.getType());
            assertTrue(refused.isNonRetryable());
            assertEquals(List.of("DL_PATH: cannot be changed", "SERVER_JARFILE: has an invalid format"),
                    refused.getDetails().get(0, List.class));
        }
    }
}
