package com.admintk.orchestrator.server;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleSettingsTest {

    @Test
    void theConfiguredRulesBecomeTheLifecyclePolicyInSeconds() {
        LifecyclePolicy policy = new LifecycleSettings("0s, 90s,2h", java.time.Duration.ofMinutes(10),
                java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(3), java.time.Duration.ofSeconds(20),
                12, "60s").toPolicy();

        assertEquals(List.of(0L, 90L, 7_200L), policy.dunningOffsetsSeconds());
        assertEquals(600, policy.gracePeriodSeconds());
        assertEquals(300, policy.renewalCardDeadlineSeconds());
        assertEquals(180, policy.forceDeleteAfterSeconds());
        assertEquals(20, policy.nodeRecheckSeconds());
        assertEquals(12, policy.historyLimit());
        assertEquals(60, policy.billingPeriodSeconds());
    }

    @Test
    void anEmptyBillingPeriodKeepsThePlansCalendarCycle() {
        LifecyclePolicy policy = new LifecycleSettings("0s,3d,5d", java.time.Duration.ofDays(7),
                java.time.Duration.ofDays(1), java.time.Duration.ofMinutes(30), java.time.Duration.ofSeconds(60), 50,
                "").toPolicy();

        assertEquals(0, policy.billingPeriodSeconds());
    }

    @Test
    void offsetsThatGoBackInTimeOrDoNotReadAreRefusedWithTheValue() {
        IllegalArgumentException descending = assertThrows(IllegalArgumentException.class,
                () -> LifecycleSettings.offsetsSeconds("0s,5d,3d"));
        assertTrue(descending.getMessage().contains("'3d'"), descending.getMessage());
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> LifecycleSettings.offsetsSeconds("0s,three days"));
        assertTrue(unreadable.getMessage().contains("three days"), unreadable.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LifecycleSettings.offsetsSeconds(" "));
        assertThrows(IllegalArgumentException.class, () -> LifecycleSettings.offsetsSeconds("-1s,3d"));
    }
}
