package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static com.admintk.orchestrator.testing.SagaRig.CUSTOMER;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Issue 8 C: the reasons the saga records read as stable codes with fixed messages for customers. */
class CustomerReasonTest {

    @Test
    void eachSagaFailureReadsAsItsCode() {
        assertEquals("NO_CAPACITY", codeOfRun(rig -> rig.panel.noCapacity = true));
        assertEquals("INSTALL_FAILED", codeOfRun(rig -> rig.panel.install = FakePanel.Install.FAILS));
        assertEquals("INSUFFICIENT_FUNDS", codeOfRun(rig -> rig.payments.setBalance(CUSTOMER, 100)));
    }

    @Test
    void codesAndMessagesCarryNoRawCause() {
        CustomerReason capacity = CustomerReason.of("NoCapacity: panel answered 400: NoViableNodeException: "
                + "no node at http://panel.internal:8081");
        assertEquals("NO_CAPACITY", capacity.code());
        assertFalse(capacity.message().contains("NoViableNodeException"));
        assertFalse(capacity.message().contains("http"));

        assertEquals(CustomerReason.CANCELLED, CustomerReason.of("cancelled: changed my mind").code());
        assertEquals(CustomerReason.CANCELLED, CustomerReason.of("cancelled").code());
        assertEquals("INSTALL_FAILED", CustomerReason.of("INSTALL_FAILED: the server's installation failed "
                + "(install_failed); COMPENSATION INCOMPLETE, operator action needed: PanelUnavailable: 504").code());
        assertEquals(CustomerReason.INTERNAL_ERROR,
                CustomerReason.of("java.net.ConnectException: Connection refused to 10.0.0.1:443").code());
        assertEquals(CustomerReason.INTERNAL_ERROR, CustomerReason.of("SOMETHING_NEW: what").code());
        assertEquals(CustomerReason.INTERNAL_ERROR, CustomerReason.of("activity timed out").code());
        CustomerReason egg = CustomerReason.of("EGG_VARIABLES_INVALID: invalid game settings: SERVER_JARFILE: has an "
                + "invalid format; BUILD_NUMBER: is required");
        assertEquals("EGG_VARIABLES_INVALID", egg.code());
        assertEquals("Some game settings are not valid for this game: SERVER_JARFILE, BUILD_NUMBER.", egg.message());
        assertNull(CustomerReason.of(null));
        assertNull(CustomerReason.of(" "));
    }

    private static String codeOfRun(Consumer<SagaRig> fault) {
        try (SagaRig rig = new SagaRig()) {
            fault.accept(rig);
            OrderResult result = rig.run(order("o-reason", PaymentMethod.TKCOINS));
            return CustomerReason.of(result.reason()).code();
        }
    }
}
