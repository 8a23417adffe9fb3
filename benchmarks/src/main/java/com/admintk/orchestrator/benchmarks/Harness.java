package com.admintk.orchestrator.benchmarks;

import com.admintk.orchestrator.benchmarks.bare.BareApp;
import com.admintk.orchestrator.benchmarks.bare.BareWorker;
import com.admintk.orchestrator.benchmarks.bare.OneActivityWorkflow;
import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.localstack.JavaProcess;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.Customer;
import com.admintk.orchestrator.order.OrderOptions;
import com.admintk.orchestrator.order.OrderProvisioningWorkflow;
import com.admintk.orchestrator.order.OrderRequest;
import com.admintk.orchestrator.order.OrderStatus;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.server.LifecyclePolicy;
import com.admintk.orchestrator.server.ServerLifecycleInput;
import com.admintk.orchestrator.server.ServerLifecycleState;
import com.admintk.orchestrator.server.ServerLifecycleWorkflow;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.bson.Document;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The benchmark harness ({@code ./benchmarks/run.sh}): every scenario of BENCHMARKS.md after a warm-up, each goal a
 * ratio of two figures taken side by side in this run. A scenario whose run is invalid (errors under load, orders
 * missing or not ACTIVE, a process dying) is reported as invalid, never as a speed, and the harness exits 1.
 */
public final class Harness {

    private static final Path RESULTS = Path.of("benchmarks", "results");
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
    /** Before a measured load: the machine below this many busy cores for a second, or this long waited. */
    private static final double QUIET_CORES = 0.3;
    private static final Duration QUIET_WAIT = Duration.ofSeconds(20);
    /** Scale of the load; 1.0 is the figures of BENCHMARKS.md, smaller for a quick check of the harness itself. */
    private static final double SCALE = Double.parseDouble(System.getProperty("bench.scale", "1.0"));
    /**
     * Scenario numbers to run ({@code BENCH_ONLY}, e.g. "6"), empty for all. A partial run keeps the other scenarios'
     * figures of the previous {@code latest.json} and says so in its environment.
     */
    private static final List<String> ONLY = java.util.Arrays.stream(System.getProperty("bench.only", "").split(","))
            .map(String::trim).filter(n -> !n.isEmpty()).toList();

    /**
     * Sagas in flight in the saga scenario: enough to keep both cores busy. A saga spends most of its time waiting
     * (the install: an install the simulator finishes at once ends before the watcher's socket opens, so the child's
     * first poll, 5 s later, finds it), and at 40 in flight the machine was a third idle. The group's panel holds
     * 400 more servers of the plan per node, and each server is deleted once its order is ACTIVE.
     */
    private static final int SAGAS_IN_FLIGHT = 120;
    private static final HttpClient PANEL_HTTP = HttpClient.newHttpClient();
    /** The marker the Java SDK records for a local activity's result. */
    private static final String LOCAL_ACTIVITY_MARKER = "LocalActivity";

    private final Results results = new Results(RESULTS);

    private Harness() {
    }

    static String appClasspath() {
        return System.getProperty("bench.appClasspath");
    }

    static String bareClasspath() {
        return System.getProperty("bench.bareClasspath");
    }

    private static int scaled(int n) {
        return Math.max(10, (int) Math.round(n * SCALE));
    }

    public static void main(String[] args) throws Exception {
        if (appClasspath() == null || bareClasspath() == null) {
            throw new IllegalStateException("run through benchmarks/run.sh (bench.appClasspath / bench.bareClasspath unset)");
        }
        boolean valid = false;
        try {
            valid = new Harness().run();
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            // The embedded stack's threads would keep the JVM alive after a failure.
            System.exit(valid ? 0 : 1);
        }
    }

    /**
     * The closed group's stack (its Temporal test server, MongoDB and simulator live in this JVM) is collected before
     * the next group starts, so that no group's measured runs pay for the collection of the previous one's.
     */
    private static void collectStackGarbage() {
        System.gc();
        CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
    }

    private static boolean selected(String number) {
        return ONLY.isEmpty() || ONLY.contains(number);
    }

    private boolean run() throws IOException {
        long started = System.nanoTime();
        environment();
        if (selected("5") || selected("1")) {
            // Scenario 1's phases make up to ~1,500 checkouts each; the harness gives their room back between phases.
            try (Stack stack = Stack.start(Stack.unlimitedPanel(), 900)) {
                JavaProcess api = selected("5") ? scenario("5 startup", () -> startup(stack))
                        : stack.startApp("api-a", "api", Map.of(), List.of()).awaitReady(Duration.ofMinutes(3));
                if (api != null) {
                    scenario("1 checkout overhead", () -> checkoutOverhead(stack, api));
                } else if (selected("1")) {
                    results.invalid("1 checkout overhead", "no api process (startup failed)");
                }
            }
        }
        if (selected("2") || selected("6") || selected("2b") || selected("3")) {
            collectStackGarbage();
            // Scenario 2 deletes its servers (up to 120 stand at once); 6 and 3 keep theirs (75) until they are measured.
            try (Stack stack = Stack.start(Stack.unlimitedPanel(), 400)) {
                JavaProcess api = stack.startApp("api-b", "api", Map.of(), List.of()).awaitReady(Duration.ofMinutes(3));
                Api client = new Api(api.baseUrl());
                // "No limit": the panel's and ours (its default, 200/min, would be the bottleneck of the saga scenario).
                JavaProcess worker = stack.startApp("worker-b", "worker", Map.of(), List.of("-Dpanel.rate-limit-per-minute=1000000",
                        "-Dpanel.rate-limit-burst=100000", "-Dpanel.rate-limit-key=bench:panel:unlimited")).awaitReady(Duration.ofMinutes(3));
                scenario("2 saga efficiency", () -> sagaEfficiency(stack, client, worker));
                scenario("6 install to ACTIVE", () -> installToActive(stack, client));
                worker.stop();
                scenario("2b saga efficiency, sticky caches", () -> stickySagaEfficiency(stack, client));
                scenario("3 panel-limit saturation", () -> panelLimit(stack));
            }
        }
        if (selected("4")) {
            collectStackGarbage();
            // Phases of up to 800 checkouts with the worker paused; the harness gives their room back between them.
            try (Stack stack = Stack.start(Stack.unlimitedPanel(), 600)) {
                scenario("4 scale with open work", () -> openWork(stack));
            }
        }
        Duration runtime = Duration.ofNanos(System.nanoTime() - started);
        if (!ONLY.isEmpty()) {
            results.keepOthers(ONLY);
        }
        results.write(runtime);
        System.out.println("\n" + results.markdown(runtime));
        System.out.println("Results: " + RESULTS.resolve("latest.json") + ", " + RESULTS.resolve("latest.md"));
        if (results.anyInvalid()) {
            System.err.println("BENCHMARK RUN INVALID: at least one scenario produced no trustworthy figure (see above)");
            return false;
        }
        return true;
    }

    private interface Scenario<T> {
        T run() throws Exception;
    }

    private <T> T scenario(String name, Scenario<T> scenario) {
        if (!selected(name.substring(0, name.indexOf(' ')))) {
            return null;
        }
        System.out.println("\n=== scenario " + name + " ===");
        long started = System.nanoTime();
        try {
            T value = scenario.run();
            System.out.printf("=== %s done in %.0f s%n", name, (System.nanoTime() - started) / 1e9);
            return value;
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            results.invalid(name, e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    private void environment() throws IOException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        results.environment("cpu", model);
        results.environment("cores", Runtime.getRuntime().availableProcessors());
        results.environment("memoryGiB", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "")
                .transform(kb -> Long.parseLong(kb) / 1024 / 1024));
        results.environment("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
        results.environment("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        results.environment("scale", SCALE);
        results.environment("concurrency", CONCURRENCY);
    }

    // ---------------------------------------------------------------------------------------------- 5 startup

    /**
     * Three rounds of bare app, worker and api starts (after one unmeasured start that warms the page cache); the
     * median of each. Returns the last api process, ready, for the checkout scenario.
     */
    private JavaProcess startup(Stack stack) {
        Map<String, String> env = stack.environment("api");
        stack.startJvm("bare-app-warmup", bareClasspath(), BareApp.class.getName(), env).awaitReady(Duration.ofMinutes(3)).stop();
        List<Double> bare = new ArrayList<>();
        List<Double> worker = new ArrayList<>();
        List<Double> api = new ArrayList<>();
        JavaProcess lastApi = null;
        for (int round = 1; round <= 3; round++) {
            JavaProcess b = stack.startJvm("bare-app-" + round, bareClasspath(), BareApp.class.getName(), env).awaitReady(Duration.ofMinutes(3));
            b.stop();
            bare.add(b.timeToReady().toMillis() / 1000.0);
            JavaProcess w = stack.startApp("worker-startup-" + round, "worker", Map.of(), List.of()).awaitReady(Duration.ofMinutes(3));
            w.stop();
            worker.add(w.timeToReady().toMillis() / 1000.0);
            if (lastApi != null) {
                lastApi.stop();
            }
            lastApi = stack.startApp("api-a-" + round, "api", Map.of(), List.of()).awaitReady(Duration.ofMinutes(3));
            api.add(lastApi.timeToReady().toMillis() / 1000.0);
        }
        double bareSeconds = median(bare);
        double apiSeconds = median(api);
        double workerSeconds = median(worker);
        results.atMost("5 startup", "api-role time to ready / bare Micronaut app", apiSeconds / bareSeconds, 1.5,
                String.format("medians of 3: api %.2f s %s, bare %.2f s %s", apiSeconds, api, bareSeconds, bare));
        results.atMost("5 startup", "worker-role time to ready / bare Micronaut app", workerSeconds / bareSeconds, 1.5,
                String.format("medians of 3: worker %.2f s %s, bare %.2f s %s", workerSeconds, worker, bareSeconds, bare));
        return lastApi;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    // ---------------------------------------------------------------------------------------------- 1 checkout

    private Void checkoutOverhead(Stack stack, JavaProcess api) throws Exception {
        Api client = new Api(api.baseUrl());
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.infra.temporalTarget()).build());
        try {
            WorkflowClient bare = WorkflowClient.newInstance(stubs);
            Load.Call checkout = i -> client.checkout("Bench " + i);
            Load.Call bareStart = i -> bareStart(bare, stack);
            // No worker on this stack: both sides only start workflows, which is all a checkout does synchronously.
            int calls = scaled(500);
            // The api's one C2 compiler thread (2 cores) is still behind after 12 batches: up to 40 (about a minute).
            warmUp("api", checkout, api::compilerCpuMillis, stack, 40);
            warmUp("bare", bareStart, Harness::ownCompilerMillis, stack);
            List<Load.Run> apiRuns = new ArrayList<>();
            List<Load.Run> bareRuns = new ArrayList<>();
            // Alternating rounds: a load spike on this machine hits both sides rather than one. No profiler runs
            // during them (JFR with every socket write recorded slows the api by a third or more); it records a
            // round of its own afterwards.
            String apiCpu = "";
            String bareCpu = "";
            for (int round = 1; round <= 2; round++) {
                stack.releaseReservations();
                CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
                CpuMeter cpu = CpuMeter.start(api.pid());
                apiRuns.add(Load.closed("api POST /api/v1/orders #" + round, calls, CONCURRENCY, checkout).requireClean());
                apiCpu = cpu.perCall(calls);
                CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
                cpu = CpuMeter.start(0);
                bareRuns.add(Load.closed("bare WorkflowClient.start #" + round, calls, CONCURRENCY, bareStart).requireClean());
                bareCpu = cpu.perCall(calls);
                System.out.println(apiRuns.get(round - 1).summary() + " (CPU ms per call: " + apiCpu + ")\n"
                        + bareRuns.get(round - 1).summary() + " (CPU ms per call: " + bareCpu + ")");
            }
            results.figure("1 checkout overhead", "CPU ms per call in the second round (from /proc)",
                    "API checkout: " + apiCpu + "; bare start: " + bareCpu);
            double apiRate = apiRuns.stream().mapToDouble(Load.Run::perSecond).average().orElseThrow();
            double bareRate = bareRuns.stream().mapToDouble(Load.Run::perSecond).average().orElseThrow();
            results.atLeast("1 checkout overhead", "checkouts/s via API ÷ bare WorkflowClient.start/s", apiRate / bareRate, 0.7,
                    String.format("api %.1f/s (p50 %.0f ms, p99 %.0f ms) vs bare %.1f/s (p50 %.0f ms, p99 %.0f ms), %d calls x 2 rounds each at concurrency %d",
                            apiRate, apiRuns.get(1).percentileMillis(50), apiRuns.get(1).percentileMillis(99), bareRate,
                            bareRuns.get(1).percentileMillis(50), bareRuns.get(1).percentileMillis(99), calls, CONCURRENCY));
            double half = apiRate / 2;
            // 20 s, or 1,200 calls when faster: the panel's enlarged nodes hold about 1,900 servers of the plan.
            int openCalls = Math.max(50, (int) Math.min(1_200, half * 20 * Math.min(1.0, SCALE)));
            stack.releaseReservations();
            CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
            // Each open loop starts with one second at its rate that is not counted: the steady rate is measured,
            // not its first calls after the quiet wait (which let the capacity reading age, see BENCHMARKS.md).
            Load.Run apiLeadIn = Load.open("api lead-in at half its max rate", leadIn(half), half, checkout).requireClean();
            Stalls stalls = Stalls.from(api);
            Load.Run apiHalf = Load.open("api at half its max rate", openCalls, half, checkout).requireClean();
            String ranInto = stalls.untilNow();
            CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
            Load.open("bare lead-in at the same rate", leadIn(half), half, bareStart).requireClean();
            Load.Run bareHalf = Load.open("bare at the same rate", openCalls, half, bareStart).requireClean();
            System.out.println(apiLeadIn.summary() + "\n" + apiHalf.summary() + "\n" + bareHalf.summary());
            results.figure("1 checkout overhead", "what the measured open loop ran into", ranInto);
            results.figure("1 checkout overhead", "the open loop's first second at half the max rate (not counted)",
                    String.format("%d calls after a quiet wait: p50 %.1f ms, p99 %.1f ms", apiLeadIn.latenciesNanos().length,
                            apiLeadIn.percentileMillis(50), apiLeadIn.percentileMillis(99)));
            results.atMost("1 checkout overhead", "p99 ms of POST /api/v1/orders at half the max rate", apiHalf.percentileMillis(99), 50,
                    String.format("%.1f/s for %d calls (open loop): p50 %.1f ms, p99 %.1f ms; bare start at that rate p99 %.1f ms",
                            half, openCalls, apiHalf.percentileMillis(50), apiHalf.percentileMillis(99), bareHalf.percentileMillis(99)));
            results.latencyChart("checkout-latency.png", "Checkout latency: API vs bare WorkflowClient.start",
                    List.of(apiRuns.get(1), bareRuns.get(1), apiHalf, bareHalf));
            stack.releaseReservations();
            Path jfr = Path.of("benchmarks", "target", "api-checkout.jfr").toAbsolutePath();
            jcmd(api, "JFR.start", "name=bench", "settings=" + Profile.socketCountingSettings(Path.of("benchmarks", "target")));
            // This JVM too: it hosts the Temporal test server and MongoDB that both sides talk to.
            Recording harnessRecording = new Recording(Configuration.getConfiguration("profile"));
            harnessRecording.start();
            Load.Run profiled = Load.closed("api POST /api/v1/orders, profiled (not measured)", calls, CONCURRENCY, checkout)
                    .requireClean();
            jcmd(api, "JFR.stop", "name=bench", "filename=" + jfr);
            harnessRecording.stop();
            Path harnessJfr = Path.of("benchmarks", "target", "harness-checkout.jfr");
            harnessRecording.dump(harnessJfr);
            harnessRecording.close();
            String profile = "## api process\n\n" + Profile.summarize(jfr, "the api process during a profiled round of checkouts")
                    + "\n## harness process (Temporal test server, MongoDB, panel simulator, load generators)\n\n"
                    + Profile.summarize(harnessJfr, "the harness JVM during the same round");
            Map<String, Integer> writes = Profile.socketWrites(jfr, Map.of(stack.infra.mongoPort(), "MongoDB",
                    stack.infra.temporalPort(), "Temporal", stack.infra.redisPort(), "Redis"));
            int checkouts = profiled.latenciesNanos().length;
            String roundTrips = writes.entrySet().stream().map(e -> String.format("%s %.1f", e.getKey(), e.getValue() / (double) checkouts))
                    .collect(Collectors.joining(", "));
            results.figure("1 checkout overhead", "blocking socket writes per checkout in the api process (≈ MongoDB round trips)", roundTrips);
            profile = "Blocking socket writes per checkout (api process; each MongoDB command is one): " + roundTrips
                    + ". The Temporal client's gRPC uses Netty's native transport, which JFR does not record (one start per checkout).\n\n" + profile;
            Files.writeString(RESULTS.resolve("checkout-profile.md"), "# Where a checkout's time goes (JFR)\n\n" + profile);
            System.out.println(profile);
            return null;
        } finally {
            stubs.shutdownNow();
            api.stop();
        }
    }

    /**
     * Batches of calls until the JIT compilers of the side's JVM used under 10 % of a batch's time (at most 12
     * batches): the api JVM compiles for tens of seconds, and measuring while it does would count the compiler.
     */
    private static void warmUp(String side, Load.Call call, java.util.function.LongSupplier compilerMillis, Stack stack) {
        warmUp(side, call, compilerMillis, stack, 12);
    }

    /** Batches of {@code batch} until the JVM's compiler threads used under 10 % of one, at most {@code maxBatches}. */
    private static void warmUntilCompiled(String side, Runnable batch, java.util.function.LongSupplier compilerMillis,
                                          int maxBatches) {
        for (int round = 1; round <= maxBatches; round++) {
            long compiledBefore = compilerMillis.getAsLong();
            long started = System.nanoTime();
            batch.run();
            double wallMillis = (System.nanoTime() - started) / 1e6;
            long compiled = compilerMillis.getAsLong() - compiledBefore;
            System.out.printf("warm-up %s #%d: compilers used %d ms of %.0f ms%n", side, round, compiled, wallMillis);
            if (compiled < wallMillis * 0.10) {
                return;
            }
        }
    }

    private static void warmUp(String side, Load.Call call, java.util.function.LongSupplier compilerMillis, Stack stack,
                               int maxBatches) {
        int batch = scaled(300);
        int[] round = {0};
        warmUntilCompiled(side, () -> {
            Load.closed("warm-up " + side + " #" + ++round[0], batch, CONCURRENCY, call).requireClean();
            stack.releaseReservations();
        }, compilerMillis, maxBatches);
    }

    /** One second of calls at {@code perSecond}. */
    private static int leadIn(double perSecond) {
        return Math.max(5, (int) Math.ceil(perSecond));
    }

    private static long ownCompilerMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** The workflow the API starts, with the same options and a request of the same shape, from a plain client. */
    private static void bareStart(WorkflowClient client, Stack stack) {
        String orderId = "ord_bare" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        OrderRequest request = new OrderRequest(orderId, 1,
                new Customer(stack.demoCustomerId, "demo@admin-tk.local", "demo"), stack.plan, "Bench", Map.of(),
                PaymentMethod.TKCOINS, OrderOptions.defaults(), LifecyclePolicy.defaults());
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId("order:" + orderId)
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.ORDER_ID, orderId)
                        .set(SearchAttributes.CUSTOMER_ID, stack.demoCustomerId)
                        .set(SearchAttributes.ORDER_STATUS, OrderStatus.PROCESSING.name())
                        .build())
                .build();
        WorkflowClient.start(client.newWorkflowStub(OrderProvisioningWorkflow.class, options)::provision, request);
    }

    private static void jcmd(JavaProcess jvm, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(jvm.pid())));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || output.contains("Could not") || output.contains("rror")) {
            throw new BenchmarkInvalid("jcmd " + String.join(" ", command) + ": " + output);
        }
    }

    // ---------------------------------------------------------------------------------------------- 2 sagas

    /**
     * The same comparison with sticky workflow caches on both sides, as against a production server. Against the
     * test server a worker that dies would strand its sticky workflows, so this worker is stopped only after its
     * orders completed; the sleeping lifecycles it leaves are not touched again in this run.
     */
    private Void stickySagaEfficiency(Stack stack, Api client) throws Exception {
        JavaProcess worker = stack.startApp("worker-sticky", "worker", Map.of("TEMPORAL_TEST_SERVER", "false"),
                List.of("-Dpanel.rate-limit-per-minute=1000000", "-Dpanel.rate-limit-burst=100000",
                        "-Dpanel.rate-limit-key=bench:panel:unlimited")).awaitReady(Duration.ofMinutes(3));
        try {
            double[] figures = sagaVersusOneActivity(stack, client, worker, "true");
            results.figure("2b saga efficiency, sticky caches", "same with sticky workflow caches (as on a production server; no goal)",
                    String.format("ratio %.3f: %.1f saga activities/s vs %.1f one-activity workflows/s", figures[0], figures[1], figures[2]));
        } finally {
            worker.stop();
        }
        return null;
    }

    private Void sagaEfficiency(Stack stack, Api client, JavaProcess worker) throws Exception {
        double[] figures = sagaVersusOneActivity(stack, client, worker, "false");
        results.atLeast("2 saga efficiency", "saga activities/s ÷ 1-activity workflows/s", figures[0], 0.6, sagaDetail);
        return null;
    }

    private String sagaDetail;

    /** Returns the ratio, saga activities/s and one-activity workflows/s. */
    private double[] sagaVersusOneActivity(Stack stack, Api client, JavaProcess worker, String sticky) throws Exception {
        JavaProcess bareWorker = stack.startJvm("bare-worker", bareClasspath(), BareWorker.class.getName(),
                Map.of("TEMPORAL_ADDRESS", stack.infra.temporalTarget(), "BARE_STICKY", sticky)).awaitReady(Duration.ofMinutes(2));
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(stack.infra.temporalTarget()).build());
        try {
            WorkflowClient bare = WorkflowClient.newInstance(stubs);
            // Each side is warmed until its worker JVM's compilers are quiet (as the checkout warm-ups), and each
            // measured run starts on a quiet machine.
            warmUntilCompiled("sagas", () -> sagas(stack, client, scaled(20), "warm-up"), worker::compilerCpuMillis, 6);
            warmUntilCompiled("one-activity workflows", () -> oneActivity(bare, scaled(100)),
                    bareWorker::compilerCpuMillis, 6);
            // The one-activity workflows run before and after the sagas, and their rates are averaged: on this shared
            // host one baseline run alone moved by up to a quarter from the other within the same run.
            CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
            OneActivityRun before = oneActivity(bare, scaled(600));
            CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
            CpuMeter busy = CpuMeter.start(0);
            SagaRun sagas = sagas(stack, client, scaled(450), "measured");
            double sagaCores = busy.cores();
            CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
            OneActivityRun after = oneActivity(bare, scaled(600));
            double oneActivityRate = (before.perSecond() + after.perSecond()) / 2;
            // Counted in every measured saga: a customer whose panel user exists makes fewer calls than a new one.
            double activities = sagas.orderIds().stream()
                    .mapToInt(id -> activitiesPerSaga(stack.appTemporal(), "order:" + id)).average().orElseThrow();
            double sagaRate = sagas.orderIds().size() / sagas.seconds();
            sagaDetail = String.format("%d sagas (" + SAGAS_IN_FLIGHT + " in flight) in %.1f s = %.2f sagas/s x %.2f activities (scheduled and local, mean of the runs) = %.1f activities/s, %.2f cores busy; vs %.1f one-activity workflows/s (bare SDK worker, same worker options; %.1f/s before the sagas, %.1f/s after, %.2f and %.2f cores busy)",
                            sagas.orderIds().size(), sagas.seconds(), sagaRate, activities, sagaRate * activities, sagaCores,
                            oneActivityRate, before.perSecond(), after.perSecond(), before.cores(), after.cores());
            System.out.println(sagaDetail);
            return new double[]{sagaRate * activities / oneActivityRate, sagaRate * activities, oneActivityRate};
        } finally {
            stubs.shutdownNow();
            bareWorker.stop();
        }
    }

    private record SagaRun(List<String> orderIds, double seconds, Map<String, JsonNode> orders) {
    }

    /**
     * {@code n} sagas through a pipeline of {@link #SAGAS_IN_FLIGHT} customers, each placing an order, waiting for its run
     * to end and placing the next; every order must end ACTIVE. A finished order's server is deleted from the panel
     * at once: the simulator's two nodes hold about 60 servers of the plan, fewer than a run provisions.
     */
    private SagaRun sagas(Stack stack, Api client, int n, String label) {
        long start = System.nanoTime();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Load.closed("sagas (" + label + ")", n, SAGAS_IN_FLIGHT, i -> {
            String id = client.checkout("Saga " + i);
            ids.add(id);
            awaitRuns(stack.appTemporal(), List.of(id), Duration.ofMinutes(5));
            deletePanelServers(stack, List.of(id));
        }).requireClean();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, JsonNode> orders = requireActive(client, ids);
        System.out.printf("%d sagas (%s) done in %.1f s%n", n, label, seconds);
        return new SagaRun(List.copyOf(ids), seconds, orders);
    }

    /** Frees the simulator's capacity for the next orders; the panel's own force delete, as an operator would. */
    private static void deletePanelServers(Stack stack, List<String> orderIds) {
        for (String id : orderIds) {
            SimState.ServerView server = stack.panel.state().serverByExternalId("order:" + id)
                    .orElseThrow(() -> new BenchmarkInvalid("order " + id + " has no server on the panel"));
            try {
                HttpResponse<String> response = PANEL_HTTP.send(HttpRequest.newBuilder(
                                URI.create(stack.panel.baseUrl() + "/api/application/servers/" + server.id() + "/force"))
                        .header("Authorization", "Bearer " + stack.panel.configuration().applicationKey())
                        .header("Accept", "application/json").DELETE().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 204) {
                    throw new BenchmarkInvalid("panel delete of server " + server.id() + " answered " + response.statusCode() + ": " + response.body());
                }
            } catch (IOException e) {
                throw new BenchmarkInvalid("panel delete of server " + server.id() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void awaitRuns(WorkflowClient temporal, List<String> orderIds, Duration timeout) {
        List<CompletableFuture<JsonNode>> runs = new ArrayList<>();
        for (String id : orderIds) {
            runs.add(temporal.newUntypedWorkflowStub("order:" + id).getResultAsync(JsonNode.class));
        }
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            long done = runs.stream().filter(CompletableFuture::isDone).count();
            throw new BenchmarkInvalid(done + " of " + orderIds.size() + " order runs ended within " + timeout + ": " + e);
        }
    }

    /** Every order must be ACTIVE, or the run measured something else than provisioning. */
    private static Map<String, JsonNode> requireActive(Api client, List<String> orderIds) {
        Map<String, JsonNode> orders = new ConcurrentHashMap<>();
        Load.closed("order reads", orderIds.size(), 8, i -> orders.put(orderIds.get(i), client.order(orderIds.get(i)))).requireClean();
        List<String> notActive = orders.entrySet().stream().filter(e -> !"ACTIVE".equals(e.getValue().path("status").asText()))
                .map(e -> e.getKey() + "=" + e.getValue().path("status").asText()).toList();
        if (!notActive.isEmpty()) {
            throw new BenchmarkInvalid(notActive.size() + " of " + orderIds.size() + " orders not ACTIVE: " + notActive.subList(0, Math.min(5, notActive.size())));
        }
        return orders;
    }

    private record OneActivityRun(double perSecond, double cores) {
    }

    private static OneActivityRun oneActivity(WorkflowClient bare, int n) {
        long start = System.nanoTime();
        CpuMeter busy = CpuMeter.start(0);
        List<CompletableFuture<String>> runs = Collections.synchronizedList(new ArrayList<>());
        Load.closed("one-activity starts", n, CONCURRENCY, i -> {
            OneActivityWorkflow workflow = bare.newWorkflowStub(OneActivityWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(OneActivityWorkflow.TASK_QUEUE).setWorkflowId("one:" + UUID.randomUUID()).build());
            WorkflowClient.start(workflow::run, "x");
            runs.add(WorkflowStub.fromTyped(workflow).getResultAsync(String.class));
        }).requireClean();
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new BenchmarkInvalid("one-activity workflows did not all complete: " + e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d one-activity workflows in %.1f s%n", n, seconds);
        return new OneActivityRun(n / seconds, busy.cores());
    }

    /**
     * Activities of the order's run and of the child runs it waited for (payment, provisioning); not of the lifecycle
     * it leaves running. Local activities count too: each is one call the saga makes, recorded as a marker.
     */
    private static int activitiesPerSaga(WorkflowClient temporal, String workflowId) {
        int activities = 0;
        for (HistoryEvent event : temporal.fetchHistory(workflowId).getHistory().getEventsList()) {
            if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                    || (event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
                    && event.getMarkerRecordedEventAttributes().getMarkerName().equals(LOCAL_ACTIVITY_MARKER))) {
                activities++;
            }
            if (event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED) {
                activities += activitiesPerSaga(temporal, event.getChildWorkflowExecutionCompletedEventAttributes()
                        .getWorkflowExecution().getWorkflowId());
            }
        }
        return activities;
    }

    // ---------------------------------------------------------------------------------------------- 6 install

    private Void installToActive(Stack stack, Api client) {
        // Long enough for the polling to back off past its first interval (real installs take minutes).
        Duration install = Duration.ofSeconds(20);
        stack.panel.settings().installTime(install);
        stack.panel.state().clearRequests();
        int n = scaled(30);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        // Spread over ~10 s, as customers arrive, so each order's gap is its own and not a queue's.
        Load.open("checkouts (install to ACTIVE)", n, n / 10.0, i -> ids.add(client.checkout("Install " + i))).requireClean();
        awaitRuns(stack.appTemporal(), ids, Duration.ofMinutes(5));
        Map<String, JsonNode> orders = requireActive(client, ids);
        stack.panel.settings().installTime(Duration.ofSeconds(3));
        Map<String, Instant> created = new LinkedHashMap<>();
        for (SimState.RequestRecord request : stack.panel.state().requests()) {
            if (request.method().equals("POST") && request.path().equals("/api/application/servers") && request.status() == 201) {
                for (String id : ids) {
                    if (request.body().contains("\"order:" + id + "\"")) {
                        created.put(id, request.end());
                    }
                }
            }
        }
        if (created.size() != ids.size()) {
            throw new BenchmarkInvalid("found the panel create of " + created.size() + " of " + ids.size() + " orders");
        }
        List<Double> gaps = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (String id : ids) {
            Instant installed = created.get(id).plus(install);
            Instant active = Api.instant(orders.get(id).get("updatedAt"));
            double gap = Duration.between(installed, active).toMillis() / 1000.0;
            gaps.add(gap);
            points.add(new double[]{points.size() + 1, gap});
        }
        Collections.sort(gaps);
        double p50 = gaps.get((int) Math.ceil(0.5 * gaps.size()) - 1);
        double p99 = gaps.get((int) Math.ceil(0.99 * gaps.size()) - 1);
        String detail = String.format("%d orders, simulator install %d s, INSTALL_POLL_INITIAL/MAX defaults (5 s/60 s), install events on; gap from install done to order updatedAt (ACTIVE): min %.1f s, p50 %.1f s, p99 %.1f s, max %.1f s; p50 ÷ install time %.2f",
                n, install.toSeconds(), gaps.get(0), p50, p99, gaps.get(gaps.size() - 1), p50 / install.toSeconds());
        results.atMost("6 install to ACTIVE", "p50 s from install completion to ACTIVE", p50, 1, detail);
        results.atMost("6 install to ACTIVE", "p99 s from install completion to ACTIVE", p99, 3, detail);
        deletePanelServers(stack, ids);
        results.scatterChart("install-to-active.png", "Install done → order ACTIVE (s), per order", "order", "seconds",
                Map.of("gap", points.toArray(double[][]::new)));
        return null;
    }

    // ---------------------------------------------------------------------------------------------- 3 panel limit

    private Void panelLimit(Stack stack) {
        int limit = 120;
        stack.panel.settings().installTime(Duration.ofSeconds(3)).rateLimits(limit, limit);
        Map<String, String> workerEnv = Map.of();
        // A bucket of its own: the earlier scenarios' (unlimited) bucket lives on in Redis under the default key.
        List<String> flags = List.of("-Dpanel.rate-limit-per-minute=" + limit, "-Dpanel.rate-limit-key=bench:panel:limit");
        JavaProcess first = stack.startApp("worker-limit-1", "worker", workerEnv, flags);
        JavaProcess second = stack.startApp("worker-limit-2", "worker", workerEnv, flags);
        // The checkouts' capacity reads go to the same panel, so they spend the same budget (as in production).
        JavaProcess api = stack.startApp("api-limit", "api", Map.of("PANEL_RATE_LIMIT_PER_MINUTE", Integer.toString(limit),
                "PANEL_RATE_LIMIT_BURST", "10", "PANEL_RATE_LIMIT_KEY", "bench:panel:limit"), List.of());
        first.awaitReady(Duration.ofMinutes(3));
        second.awaitReady(Duration.ofMinutes(3));
        Api client = new Api(api.awaitReady(Duration.ofMinutes(3)).baseUrl());
        // The simulator counts in fixed 60 s windows opened by a bucket's first call: a window the previous scenario
        // opened (under no limit) would still hold its calls and refuse ours. Start once it has surely closed.
        Instant lastCall = stack.panel.state().requests().stream().map(SimState.RequestRecord::end)
                .max(Instant::compareTo).orElse(Instant.EPOCH);
        long quiet = Duration.between(Instant.now(), lastCall.plusSeconds(61)).toMillis();
        if (quiet > 0) {
            System.out.printf("waiting %.0f s for the simulator's rate-limit window to close%n", quiet / 1000.0);
            try {
                Thread.sleep(quiet);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stack.panel.state().clearRequests();
        int n = scaled(45);
        long start = System.nanoTime();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Load.closed("checkouts (panel limit)", n, CONCURRENCY, i -> ids.add(client.checkout("Limit " + i))).requireClean();
        awaitRuns(stack.appTemporal(), ids, Duration.ofMinutes(8));
        double seconds = (System.nanoTime() - start) / 1e9;
        requireActive(client, ids);
        List<SimState.RequestRecord> requests = stack.panel.state().requests().stream()
                .filter(r -> r.path().startsWith("/api/")).toList();
        long refused = requests.stream().filter(r -> r.status() == 429).count();
        int busiestMinute = stack.panel.state().maxRequestsInWindow(Duration.ofSeconds(60), r -> r.path().startsWith("/api/"));
        String detail = String.format("limit %d/min on the simulator and in panel.rate-limit-per-minute, 2 workers, %d orders (%.1f panel calls each) in %.0f s; busiest 60 s: %d calls; 429 answers: %d",
                limit, n, requests.size() / (double) n, seconds, busiestMinute, refused);
        stack.panel.settings().rateLimits(1_000_000, 1_000_000);
        deletePanelServers(stack, ids);
        results.atLeast("3 panel-limit saturation", "busiest-minute panel calls ÷ configured limit", busiestMinute / (double) limit, 0.9, detail);
        results.atMost("3 panel-limit saturation", "429 answers from the panel (every order ACTIVE)", refused, 0, detail);
        first.stop();
        second.stop();
        api.stop();
        return null;
    }

    // ---------------------------------------------------------------------------------------------- 4 open work

    private Void openWork(Stack stack) {
        JavaProcess api = stack.startApp("api-c", "api", Map.of(), List.of()).awaitReady(Duration.ofMinutes(3));
        JavaProcess worker = stack.startApp("worker-c", "worker", Map.of("WORKER_TASK_QUEUES", "orchestration"), List.of())
                .awaitReady(Duration.ofMinutes(3));
        Api client = new Api(api.baseUrl());
        WorkflowClient temporal = stack.appTemporal();
        int small = scaled(1000);
        int large = scaled(10_000);
        // Small, large, small again: the api keeps compiling long after its warm-up, so whichever level came second
        // was measured on a faster api. Comparing the large level with the mean of the small one before and after it
        // cancels that drift (an A-B-A design); the three figures are all reported.
        seedOpenWork(stack, temporal, 0, small);
        // The first level's warm-up may run twice as long: the api starts cold there.
        double[] before = measureOpenWork(stack, api, worker, client, temporal, small, "", 24);
        seedOpenWork(stack, temporal, small, large);
        double[] withLarge = measureOpenWork(stack, api, worker, client, temporal, large, "", 12);
        unseedOpenWork(stack, temporal, small, large);
        double[] after = measureOpenWork(stack, api, worker, client, temporal, small, " (again)", 12);
        double[] smallMean = new double[before.length];
        for (int i = 0; i < before.length; i++) {
            smallMean[i] = (before[i] + after[i]) / 2;
        }
        // "Within 1.25x of each other": either way round, so a slower small level cannot pass by itself.
        results.atMost("4 scale with open work", "checkout rate, " + small + " vs " + large + " open lifecycles (larger ÷ smaller)",
                Math.max(smallMean[0], withLarge[0]) / Math.min(smallMean[0], withLarge[0]), 1.25,
                String.format("%.1f/s with %d (mean of %.1f before and %.1f after the larger level) vs %.1f/s with %d",
                        smallMean[0], small, before[0], after[0], withLarge[0], large));
        results.atMost("4 scale with open work", "GET /api/v1/servers p99, " + small + " vs " + large + " open lifecycles (larger ÷ smaller)",
                Math.max(smallMean[1], withLarge[1]) / Math.min(smallMean[1], withLarge[1]), 1.25,
                String.format("p99 %.1f ms with %d (mean of %.1f and %.1f) vs %.1f ms with %d (p50 %.1f vs %.1f ms); the customer has 20 servers, the others are spread over 100 other customers",
                        smallMean[1], small, before[1], after[1], withLarge[1], large, smallMean[2], withLarge[2]));
        results.figure("4 scale with open work", "the servers page query straight against the store (no api), "
                + small + " vs " + large + " servers in it", String.format(
                "p50 %.1f vs %.1f ms, p99 %.1f vs %.1f ms (read by id through the customer's list of server ids)",
                smallMean[3], withLarge[3], smallMean[4], withLarge[4]));
        return null;
    }

    /** One level's figures: checkouts/s, servers page p99 and p50, store query alone p50 and p99. */
    private double[] measureOpenWork(Stack stack, JavaProcess api, JavaProcess worker, Api client,
                                     WorkflowClient temporal, int level, String label, int warmUpBatches) {
        long heap = worker.heapUsedBytes();
        if (heap == 0) {
            throw new BenchmarkInvalid(worker.name() + " reports no heap use on /prometheus");
        }
        long rss = worker.rssBytes();
        results.figure("4 scale with open work", "worker heap used / RSS with " + level + " open lifecycles" + label,
                String.format("%d MiB / %d MiB", heap >> 20, rss >> 20));
        // The worker keeps its workflows but leaves the CPU to the api while the api is measured.
        worker.signal("STOP");
        List<String> placed = Collections.synchronizedList(new ArrayList<>());
        try {
            warmUp("api", i -> placed.add(client.checkout("Scale " + i)), api::compilerCpuMillis, stack, warmUpBatches);
            Load.closed("warm-up reads", scaled(200), CONCURRENCY / 2, i -> client.servers()).requireClean();
            CpuMeter.awaitQuiet(QUIET_CORES, QUIET_WAIT);
            Load.Run checkouts = Load.closed("checkouts with " + level + " open" + label, scaled(800), CONCURRENCY,
                    i -> placed.add(client.checkout("Scale " + i))).requireClean();
            Load.Run reads = Load.closed("GET /api/v1/servers with " + level + " open" + label, scaled(400),
                    CONCURRENCY / 2, i -> client.servers()).requireClean();
            // The same query straight against the store, with no api in between: what the store adds per level.
            Load.Run storeReads = Load.closed("store query alone with " + level + " open" + label, scaled(400),
                    CONCURRENCY / 2, i -> stack.servers().page(stack.demoCustomerId, null, 0, 20)).requireClean();
            System.out.println(checkouts.summary() + "\n" + reads.summary() + "\n" + storeReads.summary());
            return new double[]{checkouts.perSecond(), reads.percentileMillis(99), reads.percentileMillis(50),
                    storeReads.percentileMillis(50), storeReads.percentileMillis(99)};
        } finally {
            // The measured checkouts must not run: their servers would change the next level's reads.
            for (String id : placed) {
                temporal.newUntypedWorkflowStub("order:" + id).terminate("benchmark: checkout rate only");
            }
            stack.releaseReservations();
            worker.signal("CONT");
        }
    }

    /** Back to {@code to} open lifecycles: the ones seeded from {@code to} up to {@code from} end, their servers go. */
    private static void unseedOpenWork(Stack stack, WorkflowClient temporal, int to, int from) {
        long start = System.nanoTime();
        List<String> serverIds = new ArrayList<>();
        for (int i = to; i < from; i++) {
            serverIds.add(seededServerId(i));
        }
        Load.closed("lifecycle terminations", serverIds.size(), CONCURRENCY, i -> temporal
                .newUntypedWorkflowStub("server:" + serverIds.get(i)).terminate("benchmark: back to fewer open lifecycles"))
                .requireClean();
        long deleted = stack.database().collection("servers").deleteMany(Filters.in("_id", serverIds)).getDeletedCount();
        if (deleted != serverIds.size()) {
            throw new BenchmarkInvalid("deleted " + deleted + " of " + serverIds.size() + " seeded servers");
        }
        System.out.printf("back to %d open lifecycles in %.0f s%n", to, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Servers written straight into the store and their lifecycles started straight through Temporal (with the
     * app's client and codec), as a checkout would leave them: ACTIVE, renewing in 30 days. 20 of them belong to
     * the demo customer, whose reads are measured; the rest to 100 other customers.
     */
    private static void seedOpenWork(Stack stack, WorkflowClient temporal, int from, int to) {
        long renewsAt = Instant.now().plus(Duration.ofDays(30)).toEpochMilli();
        List<Document> documents = new ArrayList<>();
        List<ServerLifecycleInput> inputs = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String serverId = seededServerId(i);
            String customerId = i < 20 ? stack.demoCustomerId : String.format("usr_%024x", 1_000_000 + i % 100);
            documents.add(new Document("_id", serverId).append("orderId", "ord_seed" + i).append("customerId", customerId)
                    .append("planId", stack.plan.planId()).append("name", "Seeded " + i).append("externalId", "order:ord_seed" + i)
                    .append("panelServerId", 100_000 + i).append("panelUuid", UUID.randomUUID().toString())
                    .append("panelIdentifier", String.format("%08x", i)).append("panelUserId", 1).append("node", 1)
                    .append("billingCycle", BillingCycle.MONTHLY.name()).append("renewsAt", new Date(renewsAt))
                    .append("paymentMethod", PaymentMethod.TKCOINS.name()).append("priceCoins", stack.plan.priceCoins())
                    .append("priceAmountMinor", stack.plan.priceAmountMinor()).append("currency", stack.plan.currency())
                    .append("status", "ACTIVE").append("createdAt", new Date()).append("listed", true));
            inputs.add(new ServerLifecycleInput(serverId, "ord_seed" + i, customerId, stack.plan.planId(), 100_000 + i,
                    "order:ord_seed" + i, BillingCycle.MONTHLY, PaymentMethod.TKCOINS, stack.plan.priceCoins(),
                    stack.plan.priceAmountMinor(), stack.plan.currency(), renewsAt, ServerLifecycleState.Status.ACTIVE, null, 1)
                    .withContact("seed" + i + "@example.com", "Seeded " + i).withPolicy(LifecyclePolicy.defaults()));
        }
        // As ServerStore.record leaves them: on their customer's list, then written.
        Map<String, List<String>> byCustomer = documents.stream().collect(Collectors.groupingBy(
                d -> d.getString("customerId"), Collectors.mapping(d -> d.getString("_id"), Collectors.toList())));
        byCustomer.forEach(stack.servers()::addToCustomer);
        for (int i = 0; i < documents.size(); i += 1000) {
            stack.database().collection("servers").insertMany(documents.subList(i, Math.min(documents.size(), i + 1000)));
        }
        Load.closed("lifecycle starts", inputs.size(), CONCURRENCY, i -> {
            ServerLifecycleInput input = inputs.get(i);
            WorkflowClient.start(temporal.newWorkflowStub(ServerLifecycleWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId("server:" + input.serverId()).setTaskQueue(TaskQueues.ORCHESTRATION).build())::run, input);
        }).requireClean();
        // Open work means sleeping until renewal: wait for a sample across the batch, and its last one, to have its timer.
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        List<Integer> sample = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i += Math.max(1, inputs.size() / 50)) {
            sample.add(i);
        }
        sample.add(inputs.size() - 1);
        for (int i : sample) {
            String workflowId = "server:" + inputs.get(i).serverId();
            while (!sleeping(temporal, workflowId)) {
                if (System.nanoTime() > deadline) {
                    throw new BenchmarkInvalid(workflowId + " never started its renewal timer");
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static String seededServerId(int i) {
        return String.format("srv_%024x", i);
    }

    private static boolean sleeping(WorkflowClient temporal, String workflowId) {
        return temporal.fetchHistory(workflowId).getHistory().getEventsList().stream()
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED);
    }
}
