package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.localstack.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application as its own JVM process, exactly as production runs it (main class, environment variables),
 * with this test JVM's classpath. Output goes to a log file under target/ for post-mortems.
 */
public final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final int LAUNCHES = 3;

    private final String name;
    private final Map<String, String> environment;
    private Process process;
    private int port;
    private Path log;
    private int launches;

    private AppProcess(String name, Map<String, String> environment) {
        this.name = name;
        this.environment = Map.copyOf(environment);
    }

    /**
     * Starts the JVM on a port from {@link FreePorts} (a child process cannot bind 0 and tell us the port).
     * {@link #awaitReady} starts it again on another port if the drawn one was taken before the child bound it.
     */
    public static AppProcess start(String name, Map<String, String> environment) {
        AppProcess app = new AppProcess(name, environment);
        app.launch();
        return app;
    }

    private void launch() {
        launches++;
        port = FreePorts.next();
        log = Path.of("target", "processes", name + "-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "com.admintk.orchestrator.Application"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Process process() {
        return process;
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until readiness answers UP. */
    public AppProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (launches < LAUNCHES && FreePorts.saysPortTaken(output())) {
                    launch();
                    continue;
                }
                throw new IllegalStateException("process exited with " + process.exitValue() + ":\n" + output());
            }
            if (get("/health/readiness") == 200) {
                return this;
            }
            sleep(250);
        }
        throw new IllegalStateException("not ready within " + timeout + ":\n" + output());
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    public int get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(10));
    }

    /** SIGTERM: a graceful stop. Returns the exit code. */
    public int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("process still running after " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
