package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Behaviour shared by the HTTP API and the websocket: installs, power state, console, deletion. */
final class PanelEngine {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    final SimState state;
    final FaultInjector faults;
    final SimSettings settings;
    final WingsJwt jwt = new WingsJwt();
    final ScheduledExecutorService scheduler;
    final Supplier<String> publicUrl;
    final WingsHub hub;

    PanelEngine(SimState state, FaultInjector faults, SimSettings settings, ScheduledExecutorService scheduler,
                Supplier<String> publicUrl) {
        this.state = state;
        this.faults = faults;
        this.settings = settings;
        this.scheduler = scheduler;
        this.publicUrl = publicUrl;
        this.hub = new WingsHub(this);
    }

    String publicUrl() {
        return publicUrl.get();
    }

    // ---------------------------------------------------------------- install

    /** Marks the server installing and schedules the end of the install. Call under the state lock. */
    void startInstall(SimState.Server s, boolean reinstall) {
        s.status = "installing";
        s.installGeneration++;
        long gen = s.installGeneration;
        boolean fails = faults.nextInstallFails();
        s.installLog.clear();
        String uuid = s.uuid;
        long total = Math.max(0, settings.installTime.toMillis());
        s.installLog.add("Starting installation process, this could take a few minutes...");
        scheduler.execute(() -> {
            hub.broadcast(uuid, "install started", "");
            hub.broadcast(uuid, "daemon message", "Starting installation process, this could take a few minutes...");
        });
        String[] lines = {"Pulling installation container image...", "Running installation script...",
                fails ? "Installation script exited with code 1" : "Installation script finished."};
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            scheduler.schedule(() -> {
                synchronized (state) {
                    SimState.Server cur = state.servers.get(s.id);
                    if (cur != s || cur.installGeneration != gen) return;
                    cur.installLog.add(line);
                }
                hub.broadcast(uuid, "install output", line);
            }, total * (i + 1) / (lines.length + 1), TimeUnit.MILLISECONDS);
        }
        scheduler.schedule(() -> finishInstall(s, gen, fails, reinstall), total, TimeUnit.MILLISECONDS);
    }

    private void finishInstall(SimState.Server s, long gen, boolean fails, boolean reinstall) {
        boolean start;
        String uuid;
        synchronized (state) {
            // ids restart after a reset: the object must still be the one that started installing
            if (state.servers.get(s.id) != s || s.installGeneration != gen) return;
            uuid = s.uuid;
            if (!fails) s.installedOnce = true;
            if (!"suspended".equals(s.status)) {
                s.status = fails ? (reinstall ? "reinstall_failed" : "install_failed") : null;
            }
            s.updated = Instant.now();
            start = !fails && s.startOnCompletion && s.status == null;
        }
        hub.broadcast(uuid, "install completed", "");
        if (start) powerByUuid(uuid, "start");
    }

    /** Deletes the server's record and frees its allocations. Call under the state lock. */
    void remove(SimState.Server s) {
        for (SimState.Allocation a : state.allocationsOf(s)) a.serverId = null;
        state.servers.remove(s.id);
        s.installGeneration++;
        s.powerGeneration++;
        String uuid = s.uuid;
        scheduler.execute(() -> hub.closeServer(uuid, "server deleted"));
    }

    // ---------------------------------------------------------------- power & console

    void powerByUuid(String uuid, String signal) {
        synchronized (state) {
            SimState.Server s = state.findServer(uuid);
            if (s != null) power(s, signal);
        }
    }

    /** Changes the power state (start, stop, restart, kill). Call under the state lock. */
    void power(SimState.Server s, String signal) {
        long t = Math.max(0, settings.powerTransition.toMillis());
        switch (signal) {
            case "start" -> {
                if (s.powerState.equals("running") || s.powerState.equals("starting")) return;
                long gen = ++s.powerGeneration;
                setPower(s, "starting");
                console(s, "[Pterodactyl Daemon]: Checking server disk space usage, this could take a few seconds...");
                console(s, "[Pterodactyl Daemon]: Updating process configuration files...");
                console(s, "container@pterodactyl~ Server marked as starting...");
                later(s, gen, t, x -> {
                    setPower(x, "running");
                    x.runningSince = Instant.now();
                    console(x, "[" + now() + " INFO]: Done (" + String.format("%.3f", t / 1000.0) + "s)! For help, type \"help\"");
                });
            }
            case "stop" -> {
                if (s.powerState.equals("offline") || s.powerState.equals("stopping")) return;
                long gen = ++s.powerGeneration;
                setPower(s, "stopping");
                console(s, "[" + now() + " INFO]: Stopping server");
                later(s, gen, t, x -> {
                    setPower(x, "offline");
                    x.runningSince = null;
                    console(x, "container@pterodactyl~ Server marked as offline...");
                });
            }
            case "restart" -> {
                long gen = ++s.powerGeneration;
                if (!s.powerState.equals("offline")) {
                    setPower(s, "stopping");
                    console(s, "[" + now() + " INFO]: Stopping server");
                }
                later(s, gen, t, x -> {
                    setPower(x, "offline");
                    x.runningSince = null;
                    setPower(x, "starting");
                    console(x, "container@pterodactyl~ Server marked as starting...");
                });
                later(s, gen, 2 * t, x -> {
                    setPower(x, "running");
                    x.runningSince = Instant.now();
                    console(x, "[" + now() + " INFO]: Done (" + String.format("%.3f", t / 1000.0) + "s)! For help, type \"help\"");
                });
            }
            case "kill" -> {
                ++s.powerGeneration;
                if (!s.powerState.equals("offline")) {
                    setPower(s, "offline");
                    s.runningSince = null;
                    console(s, "container@pterodactyl~ Server marked as offline...");
                }
            }
            default -> throw new IllegalArgumentException(signal);
        }
    }

    private interface ServerAction {
        void run(SimState.Server s);
    }

    private void later(SimState.Server s, long gen, long delayMs, ServerAction action) {
        scheduler.schedule(() -> {
            synchronized (state) {
                if (state.servers.get(s.id) != s || s.powerGeneration != gen) return;
                action.run(s);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private void setPower(SimState.Server s, String st) {
        s.powerState = st;
        String uuid = s.uuid;
        scheduler.execute(() -> hub.broadcast(uuid, "status", st));
    }

    /** Appends a console line and sends it to the server's sockets. Call under the state lock. */
    void console(SimState.Server s, String line) {
        s.addConsole(line);
        String uuid = s.uuid;
        scheduler.execute(() -> hub.broadcast(uuid, "console output", line));
    }

    /** A command typed into the console: echoed as console output. */
    void consoleCommand(String uuid, String command) {
        synchronized (state) {
            SimState.Server s = state.findServer(uuid);
            if (s == null) return;
            console(s, command);
            if (command.equals("stop") || command.equals("quit")) power(s, "stop");
        }
    }

    private static String now() {
        return LocalTime.now(ZoneOffset.UTC).format(CLOCK);
    }

    // ---------------------------------------------------------------- stats

    /** Wings stats payload (wings_ws_stats_payload_decoded.json). Call under the state lock. */
    ObjectNode wingsStats(SimState.Server s) {
        Usage u = usage(s);
        ObjectNode n = Json.object();
        n.put("memory_bytes", u.memory);
        n.put("memory_limit_bytes", (long) (s.memory * 1024L * 1024L * 1.075));
        n.put("cpu_absolute", u.cpu);
        ObjectNode net = n.putObject("network");
        net.put("rx_bytes", u.rx);
        net.put("tx_bytes", u.tx);
        n.put("uptime", u.uptime);
        n.put("state", s.powerState);
        n.put("disk_bytes", u.disk);
        return n;
    }

    /** Client API resources (client_resources_200.json). Call under the state lock. */
    ObjectNode resources(SimState.Server s) {
        Usage u = usage(s);
        ObjectNode a = Json.object();
        a.put("current_state", s.powerState);
        a.put("is_suspended", s.suspended());
        ObjectNode r = a.putObject("resources");
        r.put("memory_bytes", u.memory);
        r.put("cpu_absolute", u.cpu);
        r.put("disk_bytes", u.disk);
        r.put("network_rx_bytes", u.rx);
        r.put("network_tx_bytes", u.tx);
        r.put("uptime", u.uptime);
        return Transformers.item("stats", a);
    }

    private record Usage(long memory, double cpu, long disk, long rx, long tx, long uptime) {}

    private Usage usage(SimState.Server s) {
        long disk = 0;
        for (SimState.FileNode f : s.files.values()) disk += f.dir ? 4096 : f.content.length;
        disk += 256L * 1024 * 1024;
        boolean running = "running".equals(s.powerState) && s.runningSince != null;
        if (!running && s.forcedCpu == null && s.forcedMemoryBytes == null) {
            return new Usage(0, 0, disk, 0, 0, 0);
        }
        long uptime = running ? Duration.between(s.runningSince, Instant.now()).toMillis() : 0;
        long limit = s.memory * 1024L * 1024L;
        long mem = s.forcedMemoryBytes != null ? s.forcedMemoryBytes
                : running ? (long) (limit * (0.35 + 0.3 * faults.random())) : 0;
        double cpu = s.forcedCpu != null ? s.forcedCpu
                : running ? Math.round((5 + 50 * faults.random()) * 100) / 100.0 : 0;
        long rx = uptime * 12;
        long tx = uptime * 6;
        return new Usage(mem, cpu, disk, rx, tx, uptime);
    }

    // ---------------------------------------------------------------- files

    static void seedFiles(SimState.Server s, SimState.Egg egg) {
        s.files.put("/logs", new SimState.FileNode(true, null));
        s.files.put("/logs/latest.log", new SimState.FileNode(false, "[00:00:00 INFO]: Starting server\n".getBytes(StandardCharsets.UTF_8)));
        if (egg.id == 3 || egg.nestId == 1) {
            s.files.put("/plugins", new SimState.FileNode(true, null));
            s.files.put("/eula.txt", new SimState.FileNode(false, "eula=true\n".getBytes(StandardCharsets.UTF_8)));
            s.files.put("/server.properties", new SimState.FileNode(false,
                    "server-ip=0.0.0.0\nserver-port=25565\nmotd=A Minecraft Server\nmax-players=20\n".getBytes(StandardCharsets.UTF_8)));
        } else {
            s.files.put("/server", new SimState.FileNode(true, null));
            s.files.put("/server/rust", new SimState.FileNode(true, null));
            s.files.put("/server/rust/cfg", new SimState.FileNode(true, null));
            s.files.put("/server/rust/cfg/server.cfg", new SimState.FileNode(false, "server.tickrate 30\n".getBytes(StandardCharsets.UTF_8)));
        }
    }
}
