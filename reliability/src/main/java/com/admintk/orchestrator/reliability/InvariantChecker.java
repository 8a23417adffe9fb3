package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.reliability.Snapshot.AcceptedOrder;
import com.admintk.orchestrator.reliability.Snapshot.CardPayment;
import com.admintk.orchestrator.reliability.Snapshot.LedgerEntry;
import com.admintk.orchestrator.reliability.Snapshot.Order;
import com.admintk.orchestrator.reliability.Snapshot.PanelServer;
import com.admintk.orchestrator.reliability.Snapshot.PendingActivity;
import com.admintk.orchestrator.reliability.Snapshot.Server;
import com.admintk.orchestrator.reliability.Snapshot.Workflow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The promises of issue 14, checked over one {@link Snapshot} taken after the system settled: no paid order lost,
 * charged twice or left half-made, whatever crashed. Pure: the same snapshot always gives the same violations.
 */
public final class InvariantChecker {

    static final Set<String> TERMINAL = Set.of("ACTIVE", "FAILED", "REFUNDED", "CANCELLED", "COMPENSATION_FAILED");

    /**
     * An open workflow whose pending activity has been tried this often after the faults stopped is stuck: the
     * settle phase gave it time, so it keeps failing against healthy dependencies instead of waiting on a timer or
     * a signal.
     */
    private final int stuckAttempts;

    public InvariantChecker(int stuckAttempts) {
        this.stuckAttempts = stuckAttempts;
    }

    public List<Violation> check(Snapshot s) {
        List<Violation> found = new ArrayList<>();
        Map<String, List<PanelServer>> panelByExternalId = new HashMap<>();
        for (PanelServer p : s.panel()) {
            panelByExternalId.computeIfAbsent(String.valueOf(p.externalId()), k -> new ArrayList<>()).add(p);
        }
        Set<String> inFlight = new TreeSet<>();
        s.orders().values().stream().filter(o -> !TERMINAL.contains(o.status())).forEach(o -> inFlight.add(o.id()));

        acceptedOrders(s, found);
        activeOrdersHaveOneServer(s, panelByExternalId, found);
        noOrphans(s, found);
        charges(s, found);
        wallets(s, found);
        stuckWorkflows(s, found);
        panelMatchesLifecycle(s, panelByExternalId, found);
        reservations(s, inFlight, found);
        return found;
    }

    /** Every 202 names an order that exists and ended, or whose workflow legitimately waits. */
    private void acceptedOrders(Snapshot s, List<Violation> found) {
        for (AcceptedOrder accepted : s.accepted()) {
            Order order = s.orders().get(accepted.orderId());
            Workflow workflow = s.workflows().get("order:" + accepted.orderId());
            boolean started = workflow != null && workflow.found();
            if (order == null && !started) {
                found.add(new Violation(Violation.LOST_ORDER, accepted.orderId(),
                        "answered 202 but there is no order record and no workflow"));
            } else if (order == null) {
                found.add(new Violation(Violation.ORDER_NOT_RECORDED, accepted.orderId(),
                        "workflow " + workflow.status() + " but no order record"));
            } else if (!TERMINAL.contains(order.status()) && (workflow == null || !workflow.open())) {
                found.add(new Violation(Violation.ORDER_NOT_TERMINAL, order.id(), "stored " + order.status()
                        + " but its workflow is " + (started ? workflow.status() : "missing")));
            }
        }
    }

    private void activeOrdersHaveOneServer(Snapshot s, Map<String, List<PanelServer>> panel, List<Violation> found) {
        for (Order order : s.orders().values()) {
            if (!"ACTIVE".equals(order.status())) {
                continue;
            }
            Server record = s.servers().get("srv-" + order.id());
            if (record != null && !record.live()) {
                continue; // terminated or released since: panelMatchesLifecycle wants it gone
            }
            int count = panel.getOrDefault("order:" + order.id(), List.of()).size();
            if (count != 1 || record == null) {
                found.add(new Violation(Violation.ACTIVE_WITHOUT_ONE_SERVER, order.id(), count + " panel server(s) with external_id order:"
                        + order.id() + (record == null ? ", and no server record" : "")));
            }
        }
    }

    /** A panel server belongs to a live server record or to an order still in flight; anything else is an orphan. */
    private void noOrphans(Snapshot s, List<Violation> found) {
        Map<String, Integer> seen = new HashMap<>();
        for (PanelServer p : s.panel()) {
            String externalId = p.externalId();
            if (externalId == null || !externalId.startsWith("order:")) {
                found.add(new Violation(Violation.ORPHAN_SERVER, "panel:" + p.id(),
                        "external_id " + externalId + " names no order"));
                continue;
            }
            if (seen.merge(externalId, 1, Integer::sum) > 1) {
                found.add(new Violation(Violation.ORPHAN_SERVER, "panel:" + p.id(), "a second server for " + externalId));
                continue;
            }
            String orderId = externalId.substring("order:".length());
            Server record = s.servers().get("srv-" + orderId);
            Order order = s.orders().get(orderId);
            boolean live = record != null && record.live();
            boolean provisioning = order != null && !TERMINAL.contains(order.status());
            if (!live && !provisioning) {
                found.add(new Violation(Violation.ORPHAN_SERVER, "panel:" + p.id(), externalId + ": order "
                        + (order == null ? "unknown" : order.status()) + ", server record "
                        + (record == null ? "none" : record.status())));
            }
        }
    }

    /** Per order: what its payments took and did not give back. Per debit: at most one refund. */
    private void charges(Snapshot s, List<Violation> found) {
        Map<String, Integer> refundsOfDebit = new HashMap<>();
        for (LedgerEntry e : s.ledger()) {
            if ("CREDIT".equals(e.type()) && e.refundOf() != null) {
                refundsOfDebit.merge(e.refundOf(), 1, Integer::sum);
            }
        }
        refundsOfDebit.forEach((debit, refunds) -> {
            if (refunds > 1) {
                found.add(new Violation(Violation.REFUNDED_TWICE, debit, refunds + " refund credits of one debit"));
            }
        });
        for (Order order : s.orders().values()) {
            List<String> kept = new ArrayList<>();
            String debitPrefix = "debit:" + order.id() + "-p";
            for (LedgerEntry e : s.ledger()) {
                if ("DEBIT".equals(e.type()) && e.key().startsWith(debitPrefix) && !refundsOfDebit.containsKey(e.key())) {
                    kept.add(e.key());
                }
            }
            // Renewals of the order's server carry its order_id too; the order's own payments are {orderId}-p{attempt}.
            String paymentPrefix = order.id() + "-p";
            for (CardPayment card : s.cardPayments()) {
                if (order.id().equals(card.orderId()) && card.paymentId() != null && card.paymentId().startsWith(paymentPrefix)
                        && "succeeded".equals(card.status()) && !card.refunded()) {
                    kept.add(card.intentId());
                }
            }
            switch (order.status()) {
                case "ACTIVE" -> {
                    if (kept.size() > 1) {
                        found.add(new Violation(Violation.CHARGED_TWICE, order.id(), "charges kept: " + kept));
                    } else if (kept.isEmpty()) {
                        found.add(new Violation(Violation.ACTIVE_NOT_CHARGED, order.id(), "ACTIVE with no charge kept"));
                    }
                }
                case "REFUNDED", "FAILED", "CANCELLED" -> {
                    if (!kept.isEmpty()) {
                        found.add(new Violation(Violation.CHARGE_NOT_REFUNDED, order.id(),
                                order.status() + " but charges kept: " + kept));
                    }
                }
                case "COMPENSATION_FAILED" -> found.add(new Violation(Violation.COMPENSATION_FAILED, order.id(),
                        "an undo gave up; charges kept: " + kept));
                default -> {
                    if (kept.size() > 1) {
                        found.add(new Violation(Violation.CHARGED_TWICE, order.id(), "charges kept: " + kept));
                    }
                }
            }
        }
    }

    private void wallets(Snapshot s, List<Violation> found) {
        Map<String, Long> sums = new HashMap<>();
        for (LedgerEntry e : s.ledger()) {
            long delta = switch (e.type()) {
                case "CREDIT" -> e.coins();
                case "DEBIT" -> -e.coins();
                default -> 0;
            };
            sums.merge(e.customerId(), delta, Long::sum);
        }
        Set<String> customers = new TreeSet<>(sums.keySet());
        customers.addAll(s.walletBalances().keySet());
        for (String customer : customers) {
            long balance = s.walletBalances().getOrDefault(customer, 0L);
            long ledger = sums.getOrDefault(customer, 0L);
            if (balance != ledger) {
                found.add(new Violation(Violation.WALLET_LEDGER_MISMATCH, customer,
                        "balance " + balance + " but the ledger sums to " + ledger));
            }
        }
    }

    private void stuckWorkflows(Snapshot s, List<Violation> found) {
        for (Workflow w : s.workflows().values()) {
            if (!w.open()) {
                continue;
            }
            for (PendingActivity a : w.pendingActivities()) {
                if (a.attempt() >= stuckAttempts) {
                    found.add(new Violation(Violation.STUCK_WORKFLOW, w.workflowId(), a.activityType() + " at attempt "
                            + a.attempt() + " after the system settled; last failure: " + a.lastFailure()));
                }
            }
        }
    }

    /** Each server record's panel side: there and running while sold, suspended while suspended, gone once ended. */
    private void panelMatchesLifecycle(Snapshot s, Map<String, List<PanelServer>> panel, List<Violation> found) {
        for (Server server : s.servers().values()) {
            List<PanelServer> onPanel = panel.getOrDefault(server.externalId(), List.of());
            PanelServer p = onPanel.isEmpty() ? null : onPanel.get(0);
            String expected;
            boolean matches;
            switch (server.status()) {
                case "ACTIVE", "PAST_DUE" -> {
                    expected = "on the panel, not suspended";
                    matches = p != null && !p.suspended();
                }
                case "SUSPENDED" -> {
                    expected = "on the panel, suspended";
                    matches = p != null && p.suspended();
                }
                default -> {
                    expected = "gone from the panel";
                    matches = p == null;
                }
            }
            if (!matches) {
                found.add(new Violation(Violation.PANEL_STATE_MISMATCH, server.id(), server.status() + ": expected "
                        + expected + ", panel has " + (p == null ? "no server" : "server " + p.id() + " suspended=" + p.suspended())));
                continue;
            }
            Snapshot.Limits plan = s.planLimits().get(server.planId());
            if (p != null && plan != null && !Objects.equals(plan, p.limits())) {
                found.add(new Violation(Violation.PANEL_LIMITS_MISMATCH, server.id(), "plan " + server.planId()
                        + " has " + plan + ", panel server " + p.id() + " has " + p.limits()));
            }
        }
    }

    /** A reservation lives only while its saga does: once nothing is in flight, none may be left. */
    private void reservations(Snapshot s, Set<String> inFlight, List<Violation> found) {
        if (s.reservations().size() > inFlight.size()) {
            s.reservations().forEach(r -> found.add(new Violation(Violation.RESERVATION_LEAK, r.reservationId(),
                    "live in " + r.key() + " (allocation " + r.allocation() + ", expires " + r.expiresAtMillis()
                            + ") with " + inFlight.size() + " order(s) in flight")));
        }
    }
}
