package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.reliability.Snapshot.AcceptedOrder;
import com.admintk.orchestrator.reliability.Snapshot.CardPayment;
import com.admintk.orchestrator.reliability.Snapshot.LedgerEntry;
import com.admintk.orchestrator.reliability.Snapshot.Limits;
import com.admintk.orchestrator.reliability.Snapshot.Order;
import com.admintk.orchestrator.reliability.Snapshot.PanelServer;
import com.admintk.orchestrator.reliability.Snapshot.Reservation;
import com.admintk.orchestrator.reliability.Snapshot.Server;
import com.admintk.orchestrator.reliability.Snapshot.Workflow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each invariant on a small hand-made snapshot: a healthy shop passes, and one change breaks exactly one promise. */
class InvariantCheckerTest {

    private static final Limits PAPER = new Limits(2048, 10240, 200);
    private final InvariantChecker checker = new InvariantChecker(5);

    /** Two customers' orders: one ACTIVE by TK-Coins, one ACTIVE by card, one REFUNDED, one SUSPENDED server. */
    private final List<AcceptedOrder> accepted = new ArrayList<>(List.of(new AcceptedOrder("o1", "c1", "tkcoins"),
            new AcceptedOrder("o2", "c2", "card"), new AcceptedOrder("o3", "c1", "tkcoins")));
    private final Map<String, Order> orders = new LinkedHashMap<>(Map.of(
            "o1", new Order("o1", "c1", "ACTIVE", "TKCOINS", 1, "srv-o1"),
            "o2", new Order("o2", "c2", "ACTIVE", "CARD", 1, "srv-o2"),
            "o3", new Order("o3", "c1", "REFUNDED", "TKCOINS", 1, null)));
    private final Map<String, Server> servers = new LinkedHashMap<>(Map.of(
            "srv-o1", new Server("srv-o1", "o1", "ACTIVE", "paper-2g", 1, "order:o1"),
            "srv-o2", new Server("srv-o2", "o2", "SUSPENDED", "paper-2g", 2, "order:o2")));
    private final List<PanelServer> panel = new ArrayList<>(List.of(new PanelServer(1, "order:o1", false, null, PAPER),
            new PanelServer(2, "order:o2", true, null, PAPER)));
    private final List<LedgerEntry> ledger = new ArrayList<>(List.of(new LedgerEntry("seed:c1", "c1", "CREDIT", 2000, null),
            new LedgerEntry("debit:o1-p1", "c1", "DEBIT", 500, null),
            new LedgerEntry("debit:o3-p1", "c1", "DEBIT", 500, null),
            new LedgerEntry("refund:o3-p1", "c1", "CREDIT", 500, "debit:o3-p1")));
    private final Map<String, Long> balances = new LinkedHashMap<>(Map.of("c1", 1500L));
    private final List<CardPayment> cards = new ArrayList<>(List.of(new CardPayment("pi_1", "o2", "o2-p1", "succeeded", false)));
    private final Map<String, Workflow> workflows = new LinkedHashMap<>(Map.of(
            "order:o1", new Workflow("order:o1", true, "COMPLETED", List.of(), 0),
            "order:o2", new Workflow("order:o2", true, "COMPLETED", List.of(), 0),
            "order:o3", new Workflow("order:o3", true, "COMPLETED", List.of(), 0),
            "server:srv-o1", new Workflow("server:srv-o1", true, "RUNNING", List.of(), 0)));
    private final List<Reservation> reservations = new ArrayList<>();

    private List<String> violations() {
        return checker.check(new Snapshot(accepted, orders, servers, panel, ledger, balances, cards, workflows,
                reservations, Map.of("paper-2g", PAPER))).stream().map(Violation::kind).toList();
    }

    @Test
    void aHealthyShopHoldsEveryInvariant() {
        assertEquals(List.of(), violations());
    }

    @Test
    void aSecondCardChargeOfOneOrderIsChargedTwice() {
        cards.add(new CardPayment("pi_2", "o2", "o2-p1", "succeeded", false));
        assertEquals(List.of(Violation.CHARGED_TWICE), violations());
    }

    @Test
    void aPaidRenewalOfTheOrdersServerIsNoSecondChargeOfTheOrder() {
        cards.add(new CardPayment("pi_2", "o2", "srv-o2-r20250101T000000Z-a1", "succeeded", false));
        assertEquals(List.of(), violations());
    }

    @Test
    void aSecondAttemptsChargeKeptBesideTheFirstIsChargedTwice() {
        cards.add(new CardPayment("pi_2", "o2", "o2-p2", "succeeded", false));
        assertEquals(List.of(Violation.CHARGED_TWICE), violations());
    }

    @Test
    void aRefundedCardChargeIsNotCounted() {
        cards.add(new CardPayment("pi_2", "o2", "o2-p1", "succeeded", true));
        assertEquals(List.of(), violations());
    }

    @Test
    void anActiveOrderThatKeptNoChargeIsReported() {
        ledger.add(new LedgerEntry("refund:o1-p1", "c1", "CREDIT", 500, "debit:o1-p1"));
        balances.put("c1", 2000L);
        assertEquals(List.of(Violation.ACTIVE_NOT_CHARGED), violations());
    }

    @Test
    void aServerRecordSuspendedWhileThePanelRunsItIsAMismatch() {
        panel.set(1, new PanelServer(2, "order:o2", false, null, PAPER));
        assertEquals(List.of(Violation.PANEL_STATE_MISMATCH), violations());
    }

    @Test
    void aPlanChangeThatDidNotReachThePanelIsALimitsMismatch() {
        panel.set(0, new PanelServer(1, "order:o1", false, null, new Limits(8192, 30720, 400)));
        assertEquals(List.of(Violation.PANEL_LIMITS_MISMATCH), violations());
    }

    @Test
    void aTerminatedServerStillOnThePanelIsAMismatchAndAnOrphan() {
        servers.put("srv-o1", new Server("srv-o1", "o1", "TERMINATED", "paper-2g", 1, "order:o1"));
        assertEquals(List.of(Violation.ORPHAN_SERVER, Violation.PANEL_STATE_MISMATCH), violations());
    }

    @Test
    void aServerOfAnOrderStillProvisioningIsNoOrphan() {
        accepted.add(new AcceptedOrder("o4", "c1", "tkcoins"));
        orders.put("o4", new Order("o4", "c1", "PROCESSING", "TKCOINS", 1, null));
        workflows.put("order:o4", new Workflow("order:o4", true, "RUNNING", List.of(), 1));
        panel.add(new PanelServer(4, "order:o4", false, "installing", PAPER));
        assertEquals(List.of(), violations());
    }

    @Test
    void anOrderStoredInFlightWhoseWorkflowEndedIsNotTerminal() {
        accepted.add(new AcceptedOrder("o4", "c1", "tkcoins"));
        orders.put("o4", new Order("o4", "c1", "PROCESSING", "TKCOINS", 1, null));
        workflows.put("order:o4", new Workflow("order:o4", true, "TERMINATED", List.of(), 0));
        assertEquals(List.of(Violation.ORDER_NOT_TERMINAL), violations());
    }

    @Test
    void anAcceptedOrderKnownToTemporalButNotStoredIsNotRecorded() {
        accepted.add(new AcceptedOrder("o4", "c1", "tkcoins"));
        workflows.put("order:o4", new Workflow("order:o4", true, "RUNNING", List.of(), 0));
        assertEquals(List.of(Violation.ORDER_NOT_RECORDED), violations());
    }

    @Test
    void aReservationLeftWithNothingInFlightLeaks() {
        reservations.add(new Reservation("admintk:capacity:x:node:1", "res_1", Long.MAX_VALUE, 1001));
        assertEquals(List.of(Violation.RESERVATION_LEAK), violations());
    }

    @Test
    void anUndoThatGaveUpIsReported() {
        orders.put("o3", new Order("o3", "c1", "COMPENSATION_FAILED", "TKCOINS", 1, null));
        assertEquals(List.of(Violation.COMPENSATION_FAILED), violations());
    }
}
