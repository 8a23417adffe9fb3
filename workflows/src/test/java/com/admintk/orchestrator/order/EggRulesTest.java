package com.admintk.orchestrator.order;

import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.testing.FakePanel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules as workflow code runs them: everything but regex (see BoundedRegexTest in activities for those). */
class EggRulesTest {

    private static boolean ok(String value, String rules) {
        return EggRules.violation(value, rules, EggRules.LEFT_TO_PANEL).isEmpty();
    }

    @Test
    void requiredRefusesEmptyValuesAndNullableAcceptsThem() {
        assertFalse(ok("", "required|string"));
        assertFalse(ok(null, "required"));
        assertTrue(ok("", "nullable|integer|min:5"));
        assertTrue(ok("", "string|max:3"), "an empty optional value is not checked further");
    }

    @Test
    void numbersAndIntegersAndBooleans() {
        assertTrue(ok("12.5", "numeric"));
        assertTrue(ok("-3", "integer"));
        assertFalse(ok("12.5", "integer"));
        assertFalse(ok("abc", "numeric"));
        assertTrue(ok("+.5e-3", "numeric"));
        assertTrue(ok("7.", "numeric"));
        assertFalse(ok(".", "numeric"));
        assertFalse(ok("1e", "numeric"));
        assertFalse(ok("1 ", "integer"));
        assertFalse(ok("٣", "integer"), "only ASCII digits, like Laravel");
        assertTrue(ok("1", "boolean"));
        assertTrue(ok("0", "boolean"));
        assertFalse(ok("yes", "boolean"));
    }

    @Test
    void sizesAreNumericForNumbersAndLengthsForStrings() {
        assertTrue(ok("200", "required|integer|between:1,200"));
        assertFalse(ok("201", "required|integer|between:1,200"));
        assertFalse(ok("0", "integer|min:1"));
        assertTrue(ok("99999", "string|max:5"));
        assertFalse(ok("123456", "string|max:5"));
        assertFalse(ok("ab", "string|min:3"));
        assertTrue(ok("abc", "string|between:3,3"));
    }

    @Test
    void inListsAndRegexRuleSplitting() {
        assertTrue(ok("survival", "required|in:survival,creative,adventure"));
        assertFalse(ok("hardcore", "required|in:survival,creative,adventure"));
        assertEquals(List.of("required", "regex:/^(a|b)$/", "max:3"), EggRules.split("required|regex:/^(a|b)$/|max:3"));
    }

    @Test
    void workflowCodeLeavesRegexRulesToThePanelButStillChecksTheOthers() {
        List<String> patterns = new ArrayList<>();
        EggRules.RegexCheck recording = (pattern, value) -> {
            patterns.add(pattern.pattern());
            return Optional.of("has an invalid format");
        };
        assertFalse(EggRules.violation("x", "required|regex:/^(a+)+$/", recording).isEmpty());
        assertEquals(List.of("^(a+)+$"), patterns, "the compiled rule goes to the caller's check");

        assertTrue(ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "required|regex:/^(a+)+$/"));
        assertFalse(ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "required|regex:/^(a+)+$/|max:10"));
        assertTrue(ok("x", "regex:/(?<=a)b(?/"), "a pattern Java cannot compile is the panel's to check");
    }

    @Test
    void unknownRulesAreLeftToThePanel() {
        assertTrue(ok("x y", "required|alpha_dash"));
    }

    @Test
    void customerMayOnlyChangeEditableVariablesOfTheEgg() {
        EggSpec egg = FakePanel.minecraftEgg();
        EggVariableResolver.Resolution r = EggVariableResolver.resolve(egg, Map.of(),
                Map.of("BUILD_NUMBER", "1", "NOT_A_VAR", "x"), EggRules.LEFT_TO_PANEL);

        assertFalse(r.valid());
        assertTrue(r.problems().contains("BUILD_NUMBER: cannot be changed"), r.problems().toString());
        assertTrue(r.problems().contains("NOT_A_VAR: is not a variable of this game"), r.problems().toString());
    }

    @Test
    void customerChoiceBeatsPlanValueWhichBeatsEggDefault() {
        EggVariableResolver.Resolution r = EggVariableResolver.resolve(FakePanel.minecraftEgg(),
                Map.of("MAX_PLAYERS", "40", "MINECRAFT_VERSION", "1.19"), Map.of("MINECRAFT_VERSION", "1.20.4"),
                EggRules.LEFT_TO_PANEL);

        assertTrue(r.valid(), r.problems().toString());
        assertEquals("40", r.environment().get("MAX_PLAYERS"));
        assertEquals("1.20.4", r.environment().get("MINECRAFT_VERSION"));
        assertEquals("latest", r.environment().get("BUILD_NUMBER"));
    }
}
