package com.admintk.orchestrator.localstack;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One JVM a harness starts beside its local stack: the orchestrator in a role (or any main class), with its HTTP port
 * drawn from {@link FreePorts} and handed over in {@code PORT} (a child process cannot bind 0 and tell us the port).
 * Output goes to a log file for post-mortems. Used by the benchmark and the reliability harnesses.
 */
public final class JavaProcess implements AutoCloseable {

    /** Every process started in this JVM, so an interrupted run (Ctrl-C, a crash of the harness) leaves none behind. */
    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "java-processes-stop"));
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** A drawn port taken before the child bound it: start again on another port this many times. */
    private static final int LAUNCHES = 3;

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path logDirectory;
    private Process process;
    private int port;
    private Path log;
    private int launches;
    private long startedNanos;
    private long readyNanos;

    private JavaProcess(String name, List<String> command, Map<String, String> environment, Path logDirectory) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.logDirectory = logDirectory;
    }

    /**
     * Starts {@code mainClass} from {@code classpath} with {@code flags} and {@code environment} (plus {@code PORT});
     * the log is {@code logDirectory/<name>-<port>.log}.
     */
    public static JavaProcess start(String name, String classpath, String mainClass, Map<String, String> environment,
                                    List<String> flags, Path logDirectory) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of("-cp", classpath, mainClass));
        JavaProcess started = new JavaProcess(name, command, environment, logDirectory);
        started.launch();
        return started;
    }

    /** The same command and environment again, as a new process (on a new port): a restart after a kill. */
    public JavaProcess restart() {
        close();
        JavaProcess again = new JavaProcess(name, command, environment, logDirectory);
        again.launch();
        return again;
    }

    private void launch() {
        launches++;
        port = FreePorts.next();
        log = logDirectory.resolve(name + "-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder.redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("PORT", Integer.toString(port));
        startedNanos = System.nanoTime();
        try {
            process = builder.start();
            STARTED.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for {@code /health/readiness} to answer 200 (polled every 25 ms, so a startup figure is not the poll
     * interval); starts again on another port when the drawn one was taken before the child bound it.
     */
    public JavaProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (launches < LAUNCHES && FreePorts.saysPortTaken(tail())) {
                    launch();
                    continue;
                }
                throw new IllegalStateException(name + " exited with " + process.exitValue()
                        + " before it was ready; log: " + log + "\n" + tail());
            }
            if (status("/health/readiness") == 200) {
                readyNanos = System.nanoTime();
                return this;
            }
            sleep(25);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; log: " + log + "\n" + tail());
    }

    public String name() {
        return name;
    }

    public Duration timeToReady() {
        return Duration.ofNanos(readyNanos - startedNanos);
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    public int status(String path) {
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

    public String get(String path) {
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
    public long rssBytes() {
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

    /**
     * CPU time the process's JIT compiler threads (C1 and C2) have used so far, from {@code /proc}: a warm-up is
     * over when it stops growing.
     */
    public long compilerCpuMillis() {
        long millis = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    millis += cpuMillis(task.resolve("stat"));
                } catch (IOException | RuntimeException threadGone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return millis;
    }

    /** User and system CPU time in a {@code /proc} stat file, of a process ({@code /proc/<pid>/stat}) or a thread. */
    public static long cpuMillis(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // utime + stime; USER_HZ is 100
    }

    /** Used heap from the process's own Prometheus endpoint (sum of the heap pools); 0 when it reports none. */
    public long heapUsedBytes() {
        double sum = 0;
        for (String line : get("/prometheus").split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    /** Sends a signal with kill(1): SIGSTOP/SIGCONT keep a process's memory but take it off the CPU. */
    public void signal(String signal) {
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

    /** SIGKILL, and waits until the process is gone: no shutdown hook, no graceful stop, as a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** SIGTERM and wait (a JFR recording is written on exit); SIGKILL after a minute. */
    public void stop() {
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
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
