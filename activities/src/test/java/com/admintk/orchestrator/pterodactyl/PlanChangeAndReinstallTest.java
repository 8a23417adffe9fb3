package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.common.Failures;
import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.OrderFailures;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.CardPayment;
import com.admintk.orchestrator.payment.CardPaymentContext;
import com.admintk.orchestrator.payment.CardPaymentStatus;
import com.admintk.orchestrator.payment.LedgerCredit;
import com.admintk.orchestrator.payment.LedgerDebit;
import com.admintk.orchestrator.payment.PaymentActivities;
import com.admintk.orchestrator.payment.PaymentFailures;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentRequest;
import com.admintk.orchestrator.payment.PaymentWorkflowImpl;
import com.admintk.orchestrator.payment.RefundReceipt;
import com.admintk.orchestrator.payment.RefundRequest;
import com.admintk.orchestrator.server.ChangeServerBuildWorkflow;
import com.admintk.orchestrator.server.ChangeServerBuildWorkflowImpl;
import com.admintk.orchestrator.server.ReinstallServerWorkflow;
import com.admintk.orchestrator.server.ReinstallServerWorkflowImpl;
import com.admintk.orchestrator.server.ServerBuildChange;
import com.admintk.orchestrator.server.ServerBuildChanged;
import com.admintk.orchestrator.server.ServerReinstall;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan change and reinstall workflows with the real panel activities against the panel simulator: the build and
 * startup calls read back what they wrote, an unpaid change puts the old build and egg back, a reinstall waits for
 * the panel's install.
 */
class PlanChangeAndReinstallTest {

    private PanelSimulator sim;
    private PanelClient client;
    private PterodactylActivitiesImpl activities;
    private TestWorkflowEnvironment env;
    private final Wallet wallet = new Wallet();

    @BeforeEach
    void start() {
        sim = PanelSim.start(Duration.ofMillis(50));
        client = PanelSim.client(sim);
        activities = new PterodactylActivitiesImpl(client);
        env = TestWorkflowEnvironment.newInstance();
        // The payment child tags its run like in production.
        for (SearchAttributeKey<String> key : SearchAttributes.ALL) {
            env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
        env.newWorker(TaskQueues.ORCHESTRATION, WorkerOptions.newBuilder()
                        .setDefaultDeadlockDetectionTimeout(30_000).build())
                .registerWorkflowImplementationTypes(ChangeServerBuildWorkflowImpl.class,
                        ReinstallServerWorkflowImpl.class, PaymentWorkflowImpl.class);
        env.newWorker(TaskQueues.PTERODACTYL).registerActivitiesImplementations(activities);
        env.newWorker(TaskQueues.PAYMENTS).registerActivitiesImplementations(wallet);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
        sim.close();
    }

    private Panel.Server createInstalled(String externalId) throws InterruptedException {
        Panel.Server server = client.createServer(PterodactylActivitiesImpl.newServer(externalId,
                PanelSim.paper(externalId, null)));
        PanelSim.await("install of " + externalId, Duration.ofSeconds(10),
                () -> !client.getServer(server.id()).installing());
        return server;
    }

    private <T> T workflow(Class<T> type, String id) {
        return env.getWorkflowClient().newWorkflowStub(type, WorkflowOptions.newBuilder().setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATION).build());
    }

    /** Rust (nest 4, egg 14) with the egg's defaults. */
    private static PlanSnapshot rust(int memory) {
        return new PlanSnapshot("rust-" + memory, 4, 14, null, null, Map.of(),
                new ServerSpec.Limits(memory, 0, 10240, 500, 300), new ServerSpec.FeatureLimits(1, 2, 2), null,
                List.of(1), List.of(), 900, 1299, "eur", BillingCycle.MONTHLY);
    }

    private static PlanSnapshot paper(int memory) {
        return new PlanSnapshot("paper-" + memory, 1, 3, null, null, Map.of(),
                new ServerSpec.Limits(memory, 0, 2048, 500, 100), new ServerSpec.FeatureLimits(0, 1, 0), null,
                List.of(1), List.of(), 200, 299, "eur", BillingCycle.MONTHLY);
    }

    private long patches(String what) {
        return sim.state().requests().stream().filter(r -> r.method().equals("PATCH") && r.path().endsWith(what))
                .count();
    }

    @Test
    void buildAndStartupCallsReadBackWhatTheyWrote() throws Exception {
        Panel.Server server = createInstalled("plan:1");

        ServerBuild build = activities.getServerBuild(server.id(), null);
        assertEquals(server.allocation(), build.allocationId());
        assertEquals(new ServerSpec.Limits(1024, 0, 2048, 500, 100), build.limits());
        activities.updateBuild(server.id(), new ServerBuild(build.allocationId(),
                new ServerSpec.Limits(3072, 0, 4096, 500, 150), new ServerSpec.FeatureLimits(1, 1, 2)), null);
        ServerBuild patched = activities.getServerBuild(server.id(), null);
        assertEquals(new ServerSpec.Limits(3072, 0, 4096, 500, 150), patched.limits());
        assertEquals(new ServerSpec.FeatureLimits(1, 1, 2), patched.featureLimits());

        ServerStartup startup = activities.getServerStartup(server.id(), null);
        assertEquals(3, startup.eggId());
        assertEquals("server.jar", startup.environment().get("SERVER_JARFILE"));
        activities.updateStartup(server.id(), new ServerStartup(3, startup.dockerImage(),
                startup.startup() + " nogui", startup.environment()), null);
        assertEquals(startup.startup() + " nogui", activities.getServerStartup(server.id(), null).startup());
    }

    @Test
    void anUnpaidPlanChangePutsTheOldBuildAndEggBack() throws Exception {
        Panel.Server server = createInstalled("plan:2");
        ServerStartup before = activities.getServerStartup(server.id(), null);
        sim.state().clearRequests();
        wallet.balance = 0;
        PaymentRequest charge = new PaymentRequest("srv-2-c-req", "o-2", "cust-2", "c@example.test",
                PaymentMethod.TKCOINS, 300, 0, null, "upgrade", 0);

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () ->
                workflow(ChangeServerBuildWorkflow.class, "server:srv-2:change-plan:req").change(
                        new ServerBuildChange("srv-2", "cust-2", server.id(), "server:srv-2:change-plan:req",
                                rust(4096), charge, 0)));

        assertTrue(Failures.hasType(failed, ChangeServerBuildWorkflow.NOT_PAID), failed.toString());
        assertTrue(Failures.hasType(failed, PaymentFailures.INSUFFICIENT_FUNDS), failed.toString());
        Panel.Server after = client.getServer(server.id());
        assertEquals(1024, after.limits().memory(), "the old build is back");
        assertEquals(server.allocation(), after.allocation());
        assertEquals(3, after.egg(), "the old egg is back");
        assertEquals(before.startup(), after.container().startupCommand());
        assertEquals(2, patches("/build"), "patched to the new plan, then back");
        assertEquals(2, patches("/startup"), "egg changed, then back");
        assertTrue(wallet.credits.isEmpty());
    }

    @Test
    void aDowngradeKeepsTheNewBuildAndCreditsTheWalletOnce() throws Exception {
        Panel.Server server = createInstalled("plan:3");
        sim.state().clearRequests();
        String changeId = "server:srv-3:change-plan:req";

        ServerBuildChanged changed = workflow(ChangeServerBuildWorkflow.class, changeId).change(
                new ServerBuildChange("srv-3", "cust-3", server.id(), changeId, paper(512), null, 150));

        assertEquals(1024, changed.previous().limits().memory());
        assertEquals(512, changed.applied().limits().memory());
        assertFalse(changed.startupChanged());
        assertNull(changed.paymentId());
        assertEquals(150, changed.creditedCoins());
        assertEquals(512, client.getServer(server.id()).limits().memory());
        assertEquals(1, patches("/build"));
        assertEquals(0, patches("/startup"), "same egg");
        assertEquals(Map.of(PaymentIds.creditKey(changeId), 150L), wallet.credits);
    }

    @Test
    void aReinstallWaitsUntilThePanelHasInstalledAgain() throws Exception {
        Panel.Server server = createInstalled("reinstall:1");
        sim.state().clearRequests();

        PanelServerRef done = workflow(ReinstallServerWorkflow.class, "server:srv-4:reinstall:req").reinstall(
                new ServerReinstall("srv-4", server.id(), Duration.ofHours(6).toSeconds(), 5, 60));

        assertTrue(done.installed(), done.toString());
        assertEquals(1, sim.state().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/reinstall")).count());
    }

    @Test
    void aReinstallThatFailsOnThePanelFailsTheWorkflow() throws Exception {
        Panel.Server server = createInstalled("reinstall:2");
        sim.faults().failNextInstalls(1);

        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () ->
                workflow(ReinstallServerWorkflow.class, "server:srv-5:reinstall:req").reinstall(
                        new ServerReinstall("srv-5", server.id(), Duration.ofHours(6).toSeconds(), 5, 60)));

        assertTrue(Failures.hasType(failed, OrderFailures.INSTALL_FAILED), failed.toString());
        assertEquals("reinstall_failed", client.getServer(server.id()).status());
    }

    /** A TK-Coins wallet: debits fail while the balance is short, credits are kept by ledger key. */
    private static final class Wallet implements PaymentActivities {
        volatile long balance = 10_000;
        final Map<String, Long> credits = new ConcurrentHashMap<>();

        @Override
        public LedgerDebit debit(String ledgerKey, String customerId, long coins) {
            if (balance < coins) {
                throw ApplicationFailure.newNonRetryableFailure("not enough", PaymentFailures.INSUFFICIENT_FUNDS);
            }
            balance -= coins;
            return new LedgerDebit(ledgerKey, ledgerKey, coins, balance);
        }

        @Override
        public LedgerCredit creditWallet(String ledgerKey, String customerId, long coins, String reason) {
            if (credits.putIfAbsent(ledgerKey, coins) == null) {
                balance += coins;
            }
            return new LedgerCredit(ledgerKey, ledgerKey, credits.get(ledgerKey), balance);
        }

        @Override
        public CardPayment createCardPayment(String idempotencyKey, long amountMinor, String currency,
                                             CardPaymentContext context) {
            throw new UnsupportedOperationException("coins only");
        }

        @Override
        public CardPaymentStatus cancelCardPayment(String idempotencyKey, String providerPaymentId) {
            throw new UnsupportedOperationException("coins only");
        }

        @Override
        public RefundReceipt refund(String refundKey, RefundRequest request) {
            return new RefundReceipt(refundKey, false, null, 0, 0);
        }
    }
}
