package com.admintk.orchestrator.temporal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LoggingContextTest {

    @Test
    void orderAndPaymentRunsAreLoggedUnderTheirOrder() {
        assertEquals("ord_1a2b", LoggingContext.orderIdOf("order:ord_1a2b"));
        assertEquals("ord_1a2b", LoggingContext.orderIdOf("payment:ord_1a2b-p2"));
        assertNull(LoggingContext.orderIdOf("server:srv-ord_1a2b"));
    }
}
