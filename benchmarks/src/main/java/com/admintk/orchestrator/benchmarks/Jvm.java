package com.admintk.orchestrator.benchmarks;

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
 * One JVM the harness starts: the orchestrator in a role, the bare Micronaut app or the bare worker. All get the same
 * JVM flags, so their startup and memory figures compare. Output goes to {@code benchmarks/target/processes/}.
 */
final class Jvm implements AutoCloseable {

    /** Production-like: C2 on, a fixed heap ceiling so RSS figures are comparable between runs. */
    static final List<String> FLAGS = List.of("-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError");

    /** Every process started, so an interrupted run (Ctrl-C, a crash of the harness) leaves none behind. */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "bench-processes-stop"));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final long startedNanos;
    private long readyNanos;

    private Jvm(String name, Process process, int port, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    static Jvm start(String name, String classpath, String mainClass, Map<String, String> environment, List<String> extraFlags) {
        int port = FreePorts.next();
        Path log = Path.of("benchmarks", "target", "processes", name + "-" + port + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FLAGS);
        command.addAll(extraFlags);
        command.addAll(List.of("-cp", classpath, mainClass));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Files.createDirectories(log.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            STARTED.add(process);
            return new Jvm(name, process, port, log, started);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code /health/readiness} to answer 200; polls every 25 ms so the figure is not the poll interval. */
    Jvm awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BenchmarkInvalid(name + " exited with " + process.exitValue() + " before it was ready; log: " + log
                        + "\n" + tail());
            }
            if (status("/health/readiness") == 200) {
                readyNanos = System.nanoTime();
                return this;
            }
            sleep(25);
        }
        throw new BenchmarkInvalid(name + " not ready within " + timeout + "; log: " + log + "\n" + tail());
    }

    Duration timeToReady() {
        return Duration.ofNanos(readyNanos - startedNanos);
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    int status(String path) {
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

    String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Resident set size from /proc, in bytes. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for " + pid());
    }

    /** Used heap from the process's own Prometheus endpoint (sum of the heap pools). */
    long heapUsedBytes() {
        double sum = 0;
        for (String line : get("/prometheus").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        if (sum == 0) {
            throw new BenchmarkInvalid(name + " reports no heap use on /prometheus");
        }
        return (long) sum;
    }

    /** SIGSTOP/SIGCONT: keeps a worker's memory and workflows but takes it off the CPU while another figure is taken. */
    void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGTERM and wait: lets a JFR recording be written on exit. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
