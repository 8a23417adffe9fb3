package com.admintk.orchestrator.localstack.panel;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Pterodactyl panel + Wings simulator (see deployment/localstack/SIMULATOR.md). One HTTP port serves
 * {@code /api/application}, {@code /api/client}, the Wings websocket {@code /api/servers/{uuid}/ws}, the signed file
 * URLs and the {@code /_sim} control endpoints.
 */
public final class PanelSimulator implements AutoCloseable {

    private final PanelSimulatorConfig config;
    private final SimState state = new SimState();
    private final FaultInjector faults;
    private final SimSettings settings;
    private final ScheduledExecutorService scheduler;
    private final PanelEngine engine;
    private final PanelHttp http;
    private Server server;
    private volatile int port;

    public PanelSimulator(PanelSimulatorConfig config) {
        this.config = config;
        this.faults = new FaultInjector(config.randomSeed());
        this.settings = new SimSettings(config);
        ScheduledThreadPoolExecutor exec = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "panel-sim-scheduler");
            t.setDaemon(true);
            return t;
        });
        exec.setRemoveOnCancelPolicy(true);
        this.scheduler = exec;
        this.engine = new PanelEngine(state, faults, settings, scheduler, this::baseUrl);
        this.http = new PanelHttp(this, engine);
        Seed.seed(state);
    }

    public PanelSimulator() {
        this(PanelSimulatorConfig.defaults(0));
    }

    /** A builder with the local-stack defaults. */
    public static PanelSimulatorConfig.Builder config() {
        return PanelSimulatorConfig.builder();
    }

    /** Starts the HTTP server (idempotent). */
    public synchronized PanelSimulator start() {
        if (server != null) return this;
        QueuedThreadPool pool = new QueuedThreadPool(400, 8);
        pool.setName("panel-sim");
        pool.setDaemon(true);
        Server s = new Server(pool);
        ServerConnector connector = new ServerConnector(s);
        connector.setHost(null);
        connector.setPort(config.port());
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        s.addConnector(connector);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(s, container -> {
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping("regex|^/api/servers/[^/]+/ws$", engine.hub.creator());
        });
        ws.setHandler(http);
        s.setHandler(ws);
        s.setStopTimeout(0);
        try {
            s.start();
        } catch (Exception e) {
            throw new IllegalStateException("panel simulator could not start on port " + config.port(), e);
        }
        server = s;
        port = connector.getLocalPort();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                engine.hub.tick();
            } catch (RuntimeException ignored) {
                // keep ticking
            }
        }, 100, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    public int port() {
        if (server == null) throw new IllegalStateException("not started");
        return port;
    }

    /** The panel URL: {@code publicUrl} from the config, else http://localhost:&lt;port&gt;. Also the only accepted websocket Origin. */
    public String baseUrl() {
        if (config.publicUrl() != null) return config.publicUrl();
        return "http://localhost:" + port();
    }

    /** The start-up configuration (runtime changes live in {@link #settings()}). */
    public PanelSimulatorConfig configuration() {
        return config;
    }

    public FaultInjector faults() {
        return faults;
    }

    public SimState state() {
        return state;
    }

    /** Runtime settings: install time, rate limits, stats interval, token lifetime. */
    public SimSettings settings() {
        return settings;
    }

    /** Drops every Wings websocket connection (no close frame), so clients must reconnect. */
    public void dropWebsockets() {
        engine.hub.dropAll();
    }

    /** Open websocket connections. */
    public int websocketConnections() {
        return engine.hub.connectionCount();
    }

    /** Open websocket connections to one server (by uuid). */
    public int websocketConnections(String serverUuid) {
        return engine.hub.connectionCount(serverUuid);
    }

    /** The most websocket connections one server (by uuid) ever had open at the same time. */
    public int peakWebsocketConnections(String serverUuid) {
        return engine.hub.peakConnections(serverUuid);
    }

    /** How many websocket connections were ever opened to one server (by uuid). */
    public int openedWebsocketConnections(String serverUuid) {
        return engine.hub.openedConnections(serverUuid);
    }

    /**
     * A new node in {@code locationId}, as an operator adding a machine: 64 GiB / 1 TB and the seeded nodes' 100
     * ports, allocation ids from {@code id * 1000}, ip {@code 10.0.0.<id>}. Answers its id.
     */
    public int addNode(int locationId, String name) {
        synchronized (state) {
            if (!state.locations.containsKey(locationId)) {
                throw PanelException.badRequest("no location " + locationId);
            }
            int id = state.nodes.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            String nodeName = name == null || name.isBlank() ? "node-" + String.format("%02d", id) : name;
            String fqdn = nodeName + ".nodes.local";
            Seed.node(state, id, nodeName, locationId, fqdn, "10.0.0." + id, id * 1000);
            return id;
        }
    }

    /**
     * Makes every node hold {@code servers} more servers of 2 GiB, as a larger machine would: the memory and disk
     * for them, and that many more allocations on the game ports the demo plans deploy to (25565–25624), on further
     * addresses of the node ({@code 10.<n>.0.<node>}, allocation ids from {@code 1_000_000 + nodeId * 100_000}).
     * For benchmarks, whose runs create more servers than the demo nodes hold.
     */
    public void enlargeNodes(int servers) {
        if (servers < 1 || servers > 30_000) {
            throw PanelException.badRequest("servers must be between 1 and 30000");
        }
        synchronized (state) {
            for (SimState.Node node : state.nodes.values()) {
                int first = 1_000_000 + node.id * 100_000;
                for (int i = 0; i < servers; i++) {
                    SimState.Allocation a = new SimState.Allocation();
                    a.id = first + i; a.nodeId = node.id; a.port = 25_565 + i % 60;
                    a.ip = "10." + (1 + i / 60) + ".0." + node.id;
                    a.alias = node.fqdn.replace("nodes", "play");
                    state.allocations.putIfAbsent(a.id, a);
                }
                node.memory = Math.addExact(node.memory, servers * 2048);
                node.disk = Math.addExact(node.disk, servers * 20_480);
                node.updated = Instant.now();
            }
        }
    }

    /** Back to the seeded demo data: servers and users removed, faults cleared, request log and rate windows emptied. */
    public void reset() {
        synchronized (state) {
            for (SimState.Server s : state.servers.values()) {
                s.installGeneration++;
                s.powerGeneration++;
            }
            Seed.seed(state);
        }
        engine.hub.dropAll();
        faults.clear();
        state.clearRequests();
        http.resetRateLimits();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                engine.hub.dropAll();
                server.stop();
            } catch (Exception ignored) {
                // closing anyway
            }
            server = null;
        }
        scheduler.shutdownNow();
    }

    /** Runs a simulator on the local-stack port (8081, or the first argument) until killed. */
    public static void main(String[] args) throws InterruptedException {
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        PanelSimulator sim = new PanelSimulator(PanelSimulatorConfig.defaults(p)).start();
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
        System.out.println("Pterodactyl panel simulator on " + sim.baseUrl() + " (application key "
                + sim.configuration().applicationKey() + ", client key " + sim.configuration().clientKey() + ")");
        Thread.currentThread().join();
    }

}
