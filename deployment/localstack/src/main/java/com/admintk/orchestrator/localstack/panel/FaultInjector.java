package com.admintk.orchestrator.localstack.panel;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fault control of the simulator. Faults apply only to panel paths ({@code /api/...}), never to {@code /_sim}.
 * <ul>
 *   <li>Request faults ({@link Fault}) fire by probability or by schedule ({@link #failNext}); the schedule wins.
 *       Scheduled and random request faults only hit requests matching {@link #pathFilter(String)} and
 *       {@link #methods(String...)} (default: every panel request).</li>
 *   <li>A share of 5xx/timeout/reset faults ({@link #afterProcessingRatio(double)}, default 0.5) fires after the
 *       request was carried out: the panel changed state but the answer is lost. 429 always fires before.</li>
 *   <li>Slow creates: {@code POST /api/application/servers} creates the server at once and answers after a delay.</li>
 *   <li>Install failures: the next installs end {@code install_failed} (or {@code reinstall_failed}).</li>
 *   <li>Dead nodes: every Wings call on the node fails with 504 DaemonConnectionException (delete, suspend,
 *       reinstall, create there, power/command/files, websocket); {@code DELETE .../force} still works.</li>
 * </ul>
 * Thread-safe.
 */
public final class FaultInjector {

    /** Request-level faults. */
    public enum Fault {
        /** 500 with an HttpException body. */
        HTTP_500("500"),
        /** 502 daemon error. */
        HTTP_502("502"),
        /** 504 DaemonConnectionException (error_504_daemon_unreachable.json). */
        HTTP_504("504"),
        /** Hold the request for {@link #timeoutHold(Duration)}, then answer 504 or close the connection. */
        TIMEOUT("timeout"),
        /** Abort the TCP connection without an answer. */
        RESET("reset"),
        /** 429 ThrottleRequestsException with Retry-After. */
        RATE_LIMIT("429");

        public final String key;

        Fault(String key) { this.key = key; }

        public static Fault fromKey(String key) {
            for (Fault f : values()) if (f.key.equalsIgnoreCase(key) || f.name().equalsIgnoreCase(key)) return f;
            throw new IllegalArgumentException("unknown fault '" + key + "' (500, 502, 504, timeout, reset, 429)");
        }
    }

    /** The decision for one request. */
    record Decision(Fault fault, boolean afterProcessing) {}

    private final Map<Fault, Double> probabilities = new EnumMap<>(Fault.class);
    private final Deque<Fault> schedule = new ArrayDeque<>();
    private Duration timeoutHold = Duration.ofSeconds(10);
    private boolean timeoutThenClose = false;
    private double afterProcessingRatio = 0.5;
    private Pattern pathFilter = null;
    private Set<String> methods = Collections.emptySet();
    private Duration slowCreateDelay = Duration.ZERO;
    private double slowCreateProbability = 0;
    private int slowCreatesNext = 0;
    private int installFailuresNext = 0;
    private double installFailureProbability = 0;
    private final Set<Integer> deadNodes = new LinkedHashSet<>();
    private int retryAfterSeconds = 0;
    private final Random random;
    /** What was injected since the simulator started, by kind (request faults by key, plus slow creates and install failures). */
    private final Map<String, Long> injected = new java.util.TreeMap<>();

    FaultInjector(long seed) {
        this.random = new Random(seed);
    }

    // ---------------------------------------------------------------- request faults

    /** Probability (0..1) that a matching panel request fails with {@code fault}. */
    public synchronized FaultInjector probability(Fault fault, double p) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("probability " + p);
        if (p == 0) probabilities.remove(fault); else probabilities.put(fault, p);
        return this;
    }

    /** Spread a total failure rate evenly over 5xx (500/502/504), timeouts, resets and 429s. */
    public synchronized FaultInjector mixed(double totalRate) {
        double each = totalRate / 6.0;
        for (Fault f : Fault.values()) probability(f, each);
        return this;
    }

    /** The next {@code n} matching panel requests fail with {@code fault} (queued after already scheduled ones). */
    public synchronized FaultInjector failNext(Fault fault, int n) {
        for (int i = 0; i < n; i++) schedule.addLast(fault);
        return this;
    }

    /** How long a {@link Fault#TIMEOUT} holds the request (default 10 s). */
    public synchronized FaultInjector timeoutHold(Duration d) { timeoutHold = d; return this; }

    /** After the hold, close the connection (true) or answer 504 (false, default). */
    public synchronized FaultInjector timeoutThenClose(boolean close) { timeoutThenClose = close; return this; }

    /** Share of 5xx/timeout/reset faults that fire after the request took effect (default 0.5). */
    public synchronized FaultInjector afterProcessingRatio(double r) { afterProcessingRatio = r; return this; }

    /** Only requests whose path matches this regex (find) get request faults; null = all. */
    public synchronized FaultInjector pathFilter(String regex) {
        pathFilter = regex == null || regex.isBlank() ? null : Pattern.compile(regex);
        return this;
    }

    /** Only these HTTP methods get request faults; none = all. */
    public synchronized FaultInjector methods(String... m) {
        Set<String> s = new LinkedHashSet<>();
        for (String x : m) s.add(x.toUpperCase());
        methods = s;
        return this;
    }

    /** Retry-After of injected 429s in seconds; 0 = the real window's remaining time (at least 1). */
    public synchronized FaultInjector retryAfterSeconds(int s) { retryAfterSeconds = s; return this; }

    // ---------------------------------------------------------------- slow creates, installs, nodes

    /** Creates (with probability p) answer after {@code delay}; the server exists before the answer. */
    public synchronized FaultInjector slowCreates(Duration delay, double p) {
        slowCreateDelay = delay; slowCreateProbability = p; return this;
    }

    /** The next {@code n} creates answer after {@code delay}; the server exists before the answer. */
    public synchronized FaultInjector slowNextCreates(int n, Duration delay) {
        slowCreateDelay = delay; slowCreatesNext += n; return this;
    }

    /** The next {@code n} installs (create or reinstall) fail. */
    public synchronized FaultInjector failNextInstalls(int n) { installFailuresNext += n; return this; }

    /** Each install fails with probability p. */
    public synchronized FaultInjector installFailureProbability(double p) { installFailureProbability = p; return this; }

    /** Wings on this node stops answering. */
    public synchronized FaultInjector killNode(int nodeId) { deadNodes.add(nodeId); return this; }

    public synchronized FaultInjector reviveNode(int nodeId) { deadNodes.remove(nodeId); return this; }

    public synchronized boolean isNodeDead(int nodeId) { return deadNodes.contains(nodeId); }

    /** Removes every fault (dead nodes too). */
    public synchronized FaultInjector clear() {
        probabilities.clear(); schedule.clear(); timeoutHold = Duration.ofSeconds(10); timeoutThenClose = false;
        afterProcessingRatio = 0.5; pathFilter = null; methods = Collections.emptySet(); slowCreateDelay = Duration.ZERO;
        slowCreateProbability = 0; slowCreatesNext = 0; installFailuresNext = 0; installFailureProbability = 0;
        deadNodes.clear(); retryAfterSeconds = 0;
        return this;
    }

    // ---------------------------------------------------------------- decisions (used by the simulator)

    synchronized Decision decide(String method, String path) {
        if (pathFilter != null && !pathFilter.matcher(path).find()) return null;
        if (!methods.isEmpty() && !methods.contains(method.toUpperCase())) return null;
        Fault f = schedule.pollFirst();
        if (f == null && !probabilities.isEmpty()) {
            double x = random.nextDouble();
            double acc = 0;
            for (Map.Entry<Fault, Double> e : probabilities.entrySet()) {
                acc += e.getValue();
                if (x < acc) { f = e.getKey(); break; }
            }
        }
        if (f == null) return null;
        boolean after = f != Fault.RATE_LIMIT && random.nextDouble() < afterProcessingRatio;
        injected.merge(f.key, 1L, Long::sum);
        return new Decision(f, after);
    }

    synchronized Duration slowCreateDelay() {
        boolean slow = slowCreatesNext > 0
                || slowCreateProbability > 0 && random.nextDouble() < slowCreateProbability;
        if (!slow || slowCreateDelay.isZero()) return Duration.ZERO;
        if (slowCreatesNext > 0) slowCreatesNext--;
        injected.merge("slow_create", 1L, Long::sum);
        return slowCreateDelay;
    }

    synchronized boolean nextInstallFails() {
        boolean fails = installFailuresNext > 0
                || installFailureProbability > 0 && random.nextDouble() < installFailureProbability;
        if (installFailuresNext > 0) installFailuresNext--;
        if (fails) injected.merge("install_failure", 1L, Long::sum);
        return fails;
    }

    /**
     * How many faults fired since the simulator started, by kind: the request faults by their key ({@code 500},
     * {@code reset}, …), {@code slow_create} and {@code install_failure}. {@link #clear()} keeps the counts.
     */
    public synchronized Map<String, Long> injected() {
        return Map.copyOf(injected);
    }

    synchronized Duration timeoutHold() { return timeoutHold; }

    synchronized boolean timeoutThenClose() { return timeoutThenClose; }

    synchronized int retryAfterSeconds() { return retryAfterSeconds; }

    synchronized double random() { return random.nextDouble(); }

    synchronized int randomInt(int bound) { return random.nextInt(bound); }

    /** Current settings, in the shape {@code POST /_sim/faults} accepts. */
    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> p = new LinkedHashMap<>();
        probabilities.forEach((k, v) -> p.put(k.key, v));
        m.put("probabilities", p);
        m.put("next", schedule.stream().map(f -> f.key).toList());
        m.put("timeout_seconds", timeoutHold.toMillis() / 1000.0);
        m.put("timeout_action", timeoutThenClose ? "close" : "504");
        m.put("after_processing_ratio", afterProcessingRatio);
        m.put("path_regex", pathFilter == null ? null : pathFilter.pattern());
        m.put("methods", List.copyOf(methods));
        m.put("retry_after_seconds", retryAfterSeconds);
        Map<String, Object> slow = new LinkedHashMap<>();
        slow.put("seconds", slowCreateDelay.toMillis() / 1000.0);
        slow.put("probability", slowCreateProbability);
        slow.put("next", slowCreatesNext);
        m.put("slow_create", slow);
        Map<String, Object> inst = new LinkedHashMap<>();
        inst.put("next", installFailuresNext);
        inst.put("probability", installFailureProbability);
        m.put("install_failures", inst);
        m.put("dead_nodes", List.copyOf(deadNodes));
        return m;
    }

    /** Applies a {@code POST /_sim/faults} body (adds to the current settings; send DELETE first to start clean). */
    @SuppressWarnings("unchecked")
    synchronized void apply(Map<String, Object> body) {
        Object p = body.get("probabilities");
        if (p instanceof Map<?, ?> pm) {
            for (Map.Entry<?, ?> e : pm.entrySet()) probability(Fault.fromKey(e.getKey().toString()), num(e.getValue()));
        }
        if (body.get("mixed") != null) mixed(num(body.get("mixed")));
        Object next = body.get("next");
        if (next instanceof List<?> l) for (Object o : l) failNext(Fault.fromKey(o.toString()), 1);
        if (body.get("timeout_seconds") != null) timeoutHold(Duration.ofMillis((long) (num(body.get("timeout_seconds")) * 1000)));
        if (body.get("timeout_action") != null) timeoutThenClose("close".equals(body.get("timeout_action")));
        if (body.get("after_processing_ratio") != null) afterProcessingRatio(num(body.get("after_processing_ratio")));
        if (body.containsKey("path_regex")) pathFilter((String) body.get("path_regex"));
        if (body.get("methods") instanceof List<?> l) methods(l.stream().map(Object::toString).toArray(String[]::new));
        if (body.get("retry_after_seconds") != null) retryAfterSeconds((int) num(body.get("retry_after_seconds")));
        if (body.get("slow_create") instanceof Map<?, ?> sc) {
            Map<String, Object> s = (Map<String, Object>) sc;
            Duration d = Duration.ofMillis((long) (num(s.getOrDefault("seconds", 0)) * 1000));
            slowCreateDelay = d;
            if (s.get("probability") != null) slowCreateProbability = num(s.get("probability"));
            if (s.get("next") != null) slowCreatesNext += (int) num(s.get("next"));
        }
        if (body.get("install_failures") instanceof Map<?, ?> inf) {
            Map<String, Object> s = (Map<String, Object>) inf;
            if (s.get("next") != null) installFailuresNext += (int) num(s.get("next"));
            if (s.get("probability") != null) installFailureProbability = num(s.get("probability"));
        }
        if (body.get("dead_nodes") instanceof List<?> l) for (Object o : l) killNode((int) num(o));
    }

    private static double num(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        return Double.parseDouble(o.toString());
    }
}
