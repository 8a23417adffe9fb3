package com.admintk.orchestrator.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged local-stack launcher ({@code deployment/localstack/target/localstack.jar} with the packaged app jar),
 * started as {@code ./run-local.sh} starts it, every port overridden through its environment so it runs beside a
 * local stack that is already up. A launcher is a separate process: its ports are numbers from {@link FreePorts},
 * and when one was taken before the launcher bound it, it is started again on new ones.
 */
final class PackagedLocalStack implements AutoCloseable {

    static final String[] PORT_VARIABLES = {"PORT", "PANEL_PORT", "STRIPE_PORT", "SMTP_PORT", "TEMPORAL_PORT", "MONGO_PORT", "REDIS_PORT"};
    private static final int LAUNCHES = 3;

    private final Process process;
    private final Map<String, Integer> ports;
    private final Path log;

    private PackagedLocalStack(Process process, Map<String, Integer> ports, Path log) {
        this.process = process;
        this.ports = ports;
        this.log = log;
    }

    /** Starts the launcher and waits for its banner. */
    static PackagedLocalStack start(Path dataDir, String name) throws IOException, InterruptedException {
        return start(dataDir, name, Map.of());
    }

    /** As {@link #start(Path, String)}, with settings for the app in {@code appEnv} (the launcher passes its environment on). */
    static PackagedLocalStack start(Path dataDir, String name, Map<String, String> appEnv)
            throws IOException, InterruptedException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path launcher = root.resolve("deployment/localstack/target/localstack.jar");
        Path appJar = root.resolve("app/target/orchestrator.jar");
        if (!Files.isRegularFile(launcher) || !Files.isRegularFile(appJar)) {
            throw new AssertionError("packaged jars missing: " + launcher + ", " + appJar);
        }
        for (int launch = 1; ; launch++) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String variable : PORT_VARIABLES) {
                ports.put(variable, FreePorts.next());
            }
            Path log = Path.of("target", "processes", name + "-" + launch + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", launcher.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("APP_JAR", appJar.toString());
            env.put("DATA_DIR", dataDir.toString());
            env.putAll(appEnv);
            ports.forEach((variable, port) -> env.put(variable, Integer.toString(port)));
            PackagedLocalStack stack = new PackagedLocalStack(builder.start(), ports, log);
            try {
                stack.awaitOutput("local stack is up", Duration.ofMinutes(3));
                return stack;
            } catch (AssertionError notUp) {
                // SIGTERM: the launcher's shutdown hook stops its app JVM too
                stack.close();
                if (launch >= LAUNCHES || !FreePorts.saysPortTaken(stack.output())) {
                    throw notUp;
                }
            }
        }
    }

    Map<String, Integer> ports() {
        return ports;
    }

    String apiBase() {
        return "http://localhost:" + ports.get("PORT");
    }

    String panelBase() {
        return "http://localhost:" + ports.get("PANEL_PORT");
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM, as Ctrl-C: true when the launcher stopped within the grace. */
    boolean stop(Duration grace) throws InterruptedException {
        process.destroy();
        return process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the stack exited:\n" + output());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + output());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
