package com.admintk.orchestrator.reliability;

import com.admintk.orchestrator.localstack.panel.FaultInjector;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.pterodactyl.PanelConfiguration;
import com.admintk.orchestrator.pterodactyl.PanelRateLimiter;
import com.admintk.orchestrator.pterodactyl.PterodactylActivitiesImpl;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.reliability.Snapshot.AcceptedOrder;
import com.admintk.orchestrator.reliability.Snapshot.LedgerEntry;
import com.admintk.orchestrator.reliability.Snapshot.Limits;
import com.admintk.orchestrator.reliability.Snapshot.Order;
import com.admintk.orchestrator.reliability.Snapshot.PanelServer;
import com.admintk.orchestrator.reliability.Snapshot.Server;
import com.admintk.orchestrator.reliability.Snapshot.Workflow;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 2 of issue 14: a bug planted on purpose makes the checker report it. Each bug's state is made by the
 * real components (the panel client against the simulator with a lost answer, the wallet store on a MongoDB server,
 * the Temporal test server) and read back by the real {@link SnapshotReader}; each has a control without the bug
 * that must pass, so the test cannot pass by reporting everything.
 */
class PlantedBugsTest {

    private static final InvariantChecker CHECKER = new InvariantChecker(5);
    private static final String CUSTOMER = "usr_planted";
    private static final String PLAN = "paper-test";
    private static final Limits LIMITS = new Limits(1024, 1024, 100);

    private static Set<String> kinds(List<Violation> violations) {
        return violations.stream().map(Violation::kind).collect(Collectors.toSet());
    }

    private static Snapshot snapshot(List<AcceptedOrder> accepted, Map<String, Order> orders, Map<String, Server> servers,
                                     List<PanelServer> panel, List<LedgerEntry> ledger, Map<String, Long> balances,
                                     Map<String, Workflow> workflows) {
        return new Snapshot(accepted, orders, servers, panel, ledger, balances, List.of(), workflows, List.of(),
                Map.of(PLAN, LIMITS));
    }

    /** (a) A create without the external_id: the answer is lost, the retry cannot find the first server and makes a second. */
    @Nested
    class CreateWithoutExternalId {

        private PanelSimulator sim;
        private PanelClient client;
        private SnapshotReader reader;

        @BeforeEach
        void start() {
            sim = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ZERO).randomSeed(1).build()).start();
            client = new PanelClient(PanelConfiguration.of(sim.baseUrl(), PanelSimulatorConfig.DEFAULT_APPLICATION_KEY,
                    PanelSimulatorConfig.DEFAULT_CLIENT_KEY), PanelRateLimiter.unlimited(), new SimpleMeterRegistry());
            reader = new SnapshotReader(null, sim.baseUrl(), PanelSimulatorConfig.DEFAULT_APPLICATION_KEY, List::of, List::of,
                    null, "default", null);
            // The first create takes effect on the panel, its answer is lost (504 after processing).
            sim.faults().pathFilter("^/api/application/servers$").methods("POST").afterProcessingRatio(1.0)
                    .failNext(FaultInjector.Fault.HTTP_504, 1);
        }

        @AfterEach
        void stop() {
            sim.close();
        }

        @Test
        void twoServersForOneOrderAreReported() {
            Panel.NewServer withoutExternalId = new Panel.NewServer(null, "planted", null, 1, 3,
                    "ghcr.io/pterodactyl/yolks:java_21", "java", Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest"),
                    Panel.Limits.of(LIMITS.memory(), 0, LIMITS.disk(), 500, LIMITS.cpu()), new Panel.FeatureLimits(0, 1, 0),
                    null, new Panel.DeployPlacement(List.of(1), false, List.of()), null, null, null);
            Panel.Server created = null;
            for (int attempt = 1; attempt <= 3 && created == null; attempt++) {
                try {
                    created = client.createServer(withoutExternalId);
                } catch (RuntimeException lostAnswer) {
                    // Temporal's retry of the activity
                }
            }
            assertEquals(2, sim.state().servers().size(), "the retry made a second server");

            List<Violation> violations = CHECKER.check(activeOrderWith(created.id()));

            assertTrue(kinds(violations).containsAll(Set.of(Violation.ORPHAN_SERVER, Violation.ACTIVE_WITHOUT_ONE_SERVER)),
                    violations::toString);
        }

        @Test
        void controlTheRealCreateByExternalIdLeavesOneServerAndNoViolation() {
            PterodactylActivitiesImpl activities = new PterodactylActivitiesImpl(client);
            ServerSpec spec = new ServerSpec("planted", null, 1, 3, "ghcr.io/pterodactyl/yolks:java_21", "java",
                    Map.of("SERVER_JARFILE", "server.jar", "BUILD_NUMBER", "latest"),
                    new ServerSpec.Limits(LIMITS.memory(), 0, LIMITS.disk(), 500, LIMITS.cpu()),
                    new ServerSpec.FeatureLimits(0, 1, 0), null, List.of(1), null);
            Integer id = null;
            for (int attempt = 1; attempt <= 3 && id == null; attempt++) {
                try {
                    id = activities.createServer("order:ord_a", spec, null).id();
                } catch (RuntimeException lostAnswer) {
                    // Temporal's retry of the activity
                }
            }
            assertEquals(1, sim.state().servers().size());

            assertEquals(List.of(), CHECKER.check(activeOrderWith(id)));
        }

        private Snapshot activeOrderWith(int panelServerId) {
            return snapshot(List.of(new AcceptedOrder("ord_a", CUSTOMER, "TKCOINS")),
                    Map.of("ord_a", new Order("ord_a", CUSTOMER, "ACTIVE", "TKCOINS", 1, "srv-ord_a")),
                    Map.of("srv-ord_a", new Server("srv-ord_a", "ord_a", "ACTIVE", PLAN, panelServerId, "order:ord_a")),
                    reader.panelServers(),
                    List.of(new LedgerEntry("seed", CUSTOMER, "CREDIT", 1000, null),
                            new LedgerEntry("debit:ord_a-p1", CUSTOMER, "DEBIT", 500, null)),
                    Map.of(CUSTOMER, 500L), Map.of("order:ord_a", new Workflow("order:ord_a", true, "COMPLETED", List.of(), 0)));
        }
    }

    /** (b) A refund that is not idempotent: its answer is lost, the retry gives the coins back a second time. */
    @Nested
    class RefundNotIdempotent {

        private MongoServer server;
        private MongoClient mongoClient;
        private MongoDatabase mongo;
        private Wallets wallets;
        private SnapshotReader reader;

        @BeforeEach
        void start() {
            server = new MongoServer(new MemoryBackend());
            InetSocketAddress address = server.bind();
            mongoClient = MongoClients.create("mongodb://localhost:" + address.getPort());
            mongo = mongoClient.getDatabase("planted");
            wallets = new Wallets(mongo);
            reader = new SnapshotReader(mongo, null, null, List::of, List::of, null, "default", null);
            wallets.credit("seed:" + CUSTOMER, CUSTOMER, 1000, "seed");
            wallets.debit("debit:ord_b-p1", CUSTOMER, 500, "payment ord_b-p1");
        }

        @AfterEach
        void stop() {
            mongoClient.close();
            server.shutdownNow();
        }

        @Test
        void aRefundKeyedPerAttemptIsReportedAsRefundedTwice() {
            for (int attempt = 1; attempt <= 2; attempt++) {
                // The bug: a fresh key per attempt instead of refund:{paymentId}.
                wallets.refund("refund:ord_b-p1:" + UUID.randomUUID(), "debit:ord_b-p1", CUSTOMER, 500, "refund");
            }
            List<Violation> violations = CHECKER.check(refundedOrder());

            assertTrue(kinds(violations).contains(Violation.REFUNDED_TWICE), violations::toString);
        }

        @Test
        void aRefundAppliedToTheBalanceTwiceIsReportedAsALedgerMismatch() {
            wallets.refund("refund:ord_b-p1", "debit:ord_b-p1", CUSTOMER, 500, "refund");
            // The bug: the retry adds the coins to the balance again, without a ledger line.
            mongo.getCollection("wallets").updateOne(Filters.eq("_id", CUSTOMER), Updates.inc("balance", 500));

            List<Violation> violations = CHECKER.check(refundedOrder());

            assertTrue(kinds(violations).contains(Violation.WALLET_LEDGER_MISMATCH), violations::toString);
        }

        @Test
        void controlTheRealRefundRetriedWithItsKeyGivesBackOnce() {
            for (int attempt = 1; attempt <= 2; attempt++) {
                wallets.refund("refund:ord_b-p1", "debit:ord_b-p1", CUSTOMER, 500, "refund");
            }
            assertEquals(1000, wallets.balance(CUSTOMER));

            assertEquals(List.of(), CHECKER.check(refundedOrder()));
        }

        @Test
        void controlAnUnrefundedChargeOfARefundedOrderIsReported() {
            List<Violation> violations = CHECKER.check(refundedOrder());

            assertEquals(Set.of(Violation.CHARGE_NOT_REFUNDED), kinds(violations), violations::toString);
        }

        private Snapshot refundedOrder() {
            return snapshot(List.of(new AcceptedOrder("ord_b", CUSTOMER, "TKCOINS")),
                    Map.of("ord_b", new Order("ord_b", CUSTOMER, "REFUNDED", "TKCOINS", 1, null)), Map.of(), List.of(),
                    reader.ledger(), reader.walletBalances(),
                    Map.of("order:ord_b", new Workflow("order:ord_b", true, "COMPLETED", List.of(), 0)));
        }
    }

    @WorkflowInterface
    public interface WaitingOrder {
        @WorkflowMethod
        void run();

        @SignalMethod
        void paid();
    }

    public static class WaitingOrderImpl implements WaitingOrder {
        private boolean paid;

        @Override
        public void run() {
            io.temporal.workflow.Workflow.await(() -> paid);
        }

        @Override
        public void paid() {
            paid = true;
        }
    }

    @ActivityInterface
    public interface Panel404 {
        void create();
    }

    @WorkflowInterface
    public interface RetryingOrder {
        @WorkflowMethod
        void run();
    }

    public static class RetryingOrderImpl implements RetryingOrder {
        @Override
        public void run() {
            io.temporal.workflow.Workflow.newActivityStub(Panel404.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(5))
                    .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(10))
                            .setBackoffCoefficient(1.0).build()).build()).create();
        }
    }

    /** (c) A 202 before the start is durable: the API answered, then died before Temporal or MongoDB had the order. */
    @Nested
    class AcceptedBeforeDurable {

        private TestWorkflowEnvironment temporal;
        private SnapshotReader reader;
        private WorkflowClient client;

        @BeforeEach
        void start() {
            temporal = TestWorkflowEnvironment.newInstance();
            Worker worker = temporal.newWorker("orchestration");
            worker.registerWorkflowImplementationTypes(WaitingOrderImpl.class, RetryingOrderImpl.class);
            worker.registerActivitiesImplementations((Panel404) () -> {
                throw new IllegalStateException("panel keeps failing");
            });
            temporal.start();
            client = temporal.getWorkflowClient();
            reader = new SnapshotReader(null, null, null, List::of, List::of, temporal.getWorkflowServiceStubs(),
                    temporal.getNamespace(), null);
        }

        @AfterEach
        void stop() {
            temporal.close();
        }

        @Test
        void anAcceptedOrderWithNoWorkflowAndNoRecordIsLost() {
            // The bug: the API answered 202 for ord_c before its workflow start was acknowledged; nothing exists.
            List<Violation> violations = CHECKER.check(snapshot(List.of(new AcceptedOrder("ord_c", CUSTOMER, "CARD")),
                    Map.of(), Map.of(), List.of(), List.of(), Map.of(), Map.of("order:ord_c", reader.describe("order:ord_c"))));

            assertEquals(List.of(Violation.LOST_ORDER), violations.stream().map(Violation::kind).toList(), violations::toString);
        }

        @Test
        void controlAnAcceptedOrderWhoseWorkflowWaitsForItsPaymentHolds() {
            WorkflowClient.start(client.newWorkflowStub(WaitingOrder.class, WorkflowOptions.newBuilder()
                    .setTaskQueue("orchestration").setWorkflowId("order:ord_c").build())::run);

            Workflow described = reader.describe("order:ord_c");
            assertTrue(described.open(), described::toString);
            List<Violation> violations = CHECKER.check(snapshot(List.of(new AcceptedOrder("ord_c", CUSTOMER, "CARD")),
                    Map.of("ord_c", new Order("ord_c", CUSTOMER, "PROCESSING", "CARD", 1, null)), Map.of(), List.of(),
                    List.of(), Map.of(), Map.of("order:ord_c", described)));

            assertEquals(List.of(), violations);
        }

        @Test
        void anOpenWorkflowWhoseActivityKeepsFailingIsStuck() {
            WorkflowClient.start(client.newWorkflowStub(RetryingOrder.class, WorkflowOptions.newBuilder()
                    .setTaskQueue("orchestration").setWorkflowId("order:ord_d").build())::run);
            Workflow described = reader.describe("order:ord_d");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((described.pendingActivities().isEmpty() || described.pendingActivities().get(0).attempt() < 5)
                    && System.nanoTime() < deadline) {
                Fleet.sleep(100);
                described = reader.describe("order:ord_d");
            }
            List<Violation> violations = CHECKER.check(snapshot(List.of(new AcceptedOrder("ord_d", CUSTOMER, "TKCOINS")),
                    Map.of("ord_d", new Order("ord_d", CUSTOMER, "PROCESSING", "TKCOINS", 1, null)), Map.of(), List.of(),
                    List.of(), Map.of(), Map.of("order:ord_d", described)));

            assertEquals(List.of(Violation.STUCK_WORKFLOW), violations.stream().map(Violation::kind).toList(), violations::toString);
            assertTrue(violations.get(0).detail().contains("panel keeps failing"), violations::toString);
        }
    }
}
