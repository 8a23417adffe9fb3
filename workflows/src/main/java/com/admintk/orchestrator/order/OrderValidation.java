package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.pterodactyl.ServerSpec;

import java.util.ArrayList;
import java.util.List;

/** Step 1: the order is sellable as is. Pure and deterministic; every problem is listed, not just the first. */
final class OrderValidation {

    private OrderValidation() {
    }

    static List<String> problems(OrderRequest order) {
        List<String> problems = new ArrayList<>();
        if (blank(order.orderId()) || order.orderId().length() > 100) {
            problems.add("orderId must be 1-100 characters");
        }
        Customer customer = order.customer();
        if (customer == null || blank(customer.id())) {
            problems.add("customer id is required");
        }
        if (customer == null || blank(customer.email()) || !customer.email().contains("@")) {
            problems.add("customer email is required");
        }
        if (blank(order.serverName()) || order.serverName().length() > 191) {
            problems.add("server name must be 1-191 characters");
        }
        if (order.paymentMethod() == null) {
            problems.add("payment method is required");
        }
        PlanSnapshot plan = order.plan();
        if (plan == null) {
            problems.add("plan is required");
            return problems;
        }
        if (plan.nestId() <= 0 || plan.eggId() <= 0) {
            problems.add("plan has no egg");
        }
        ServerSpec.Limits limits = plan.limits();
        if (limits == null) {
            problems.add("plan has no limits");
        } else {
            if (limits.memory() < 0 || limits.disk() < 0 || limits.cpu() < 0) {
                problems.add("plan limits must not be negative");
            }
            if (limits.swap() < -1) {
                problems.add("plan swap must be -1 or more");
            }
            if (limits.io() < 10 || limits.io() > 1000) {
                problems.add("plan io must be between 10 and 1000");
            }
        }
        ServerSpec.FeatureLimits features = plan.featureLimits();
        if (features == null || features.databases() < 0 || features.allocations() < 0 || features.backups() < 0) {
            problems.add("plan feature limits are missing or negative");
        }
        boolean fixed = plan.allocationId() != null;
        boolean deployed = plan.locationIds() != null && !plan.locationIds().isEmpty();
        if (fixed == deployed) {
            problems.add("plan placement needs either an allocation or locations");
        }
        if (plan.billingCycle() == null) {
            problems.add("plan has no billing cycle");
        }
        if (order.paymentMethod() == PaymentMethod.TKCOINS && plan.priceCoins() <= 0) {
            problems.add("plan has no TK-Coins price");
        }
        if (order.paymentMethod() == PaymentMethod.CARD
                && (plan.priceAmountMinor() <= 0 || plan.currency() == null || !plan.currency().matches("[A-Za-z]{3}"))) {
            problems.add("plan has no card price");
        }
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
