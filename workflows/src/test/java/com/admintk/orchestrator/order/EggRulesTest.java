package com.admintk.orchestrator.order;

import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.testing.FakePanel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EggRulesTest {

    private static boolean ok(String value, String rules) {
        return EggRules.violation(value, rules).isEmpty();
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
    void inListsAndRegexesIncludingAlternations() {
        assertTrue(ok("survival", "required|in:survival,creative,adventure"));
        assertFalse(ok("hardcore", "required|in:survival,creative,adventure"));
        assertTrue(ok("server.jar", "required|regex:/^([\\w\\d._-]+)(\\.jar)$/"));
        assertFalse(ok("server.exe", "required|regex:/^([\\w\\d._-]+)(\\.jar)$/"));
        assertTrue(ok("latest", "required|string|regex:/^(latest|[0-9.]+)$/|max:10"));
        assertFalse(ok("nightly", "required|string|regex:/^(latest|[0-9.]+)$/|max:10"));
        assertTrue(ok("LATEST", "regex:/^latest$/i"));
        assertEquals(List.of("required", "regex:/^(a|b)$/", "max:3"), EggRules.split("required|regex:/^(a|b)$/|max:3"));
    }

    @Test
    void unknownRulesAreLeftToThePanel() {
        assertTrue(ok("x y", "required|alpha_dash"));
    }

    @Test
    void customerMayOnlyChangeEditableVariablesOfTheEgg() {
        EggSpec egg = FakePanel.minecraftEgg();
        EggVariableResolver.Resolution r = EggVariableResolver.resolve(egg, Map.of(),
                Map.of("BUILD_NUMBER", "1", "NOT_A_VAR", "x"));

        assertFalse(r.valid());
        assertTrue(r.problems().contains("BUILD_NUMBER: cannot be changed"), r.problems().toString());
        assertTrue(r.problems().contains("NOT_A_VAR: is not a variable of this game"), r.problems().toString());
    }

    @Test
    void customerChoiceBeatsPlanValueWhichBeatsEggDefault() {
        EggVariableResolver.Resolution r = EggVariableResolver.resolve(FakePanel.minecraftEgg(),
                Map.of("MAX_PLAYERS", "40", "MINECRAFT_VERSION", "1.19"), Map.of("MINECRAFT_VERSION", "1.20.4"));

        assertTrue(r.valid(), r.problems().toString());
        assertEquals("40", r.environment().get("MAX_PLAYERS"));
        assertEquals("1.20.4", r.environment().get("MINECRAFT_VERSION"));
        assertEquals("latest", r.environment().get("BUILD_NUMBER"));
    }
}
