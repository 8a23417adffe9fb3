package com.admintk.orchestrator.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} as a child process, on a port from {@link FreePorts} (Prometheus cannot listen on 0 and
 * report the port back); started again on a new port when another process took the drawn one first. The binary is
 * {@code $PROMETHEUS_BIN}, else {@code /usr/bin/prometheus} ({@code apt-get install prometheus}; {@code ./test.sh}
 * installs it when it runs as root).
 */
final class PrometheusProcess implements AutoCloseable {

    private static final int LAUNCHES = 3;
    private static final String PLACEHOLDER = "${PROMETHEUS_PORT}";

    private final Process process;
    private final int port;
    private final Path log;

    private PrometheusProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static Path binary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        Path bin = Path.of(configured == null || configured.isBlank() ? "/usr/bin/prometheus" : configured);
        if (!Files.isExecutable(bin)) {
            throw new AssertionError("Prometheus not found at " + bin + ": install Debian's prometheus package "
                    + "(apt-get install prometheus; ./test.sh does it when run as root) or set PROMETHEUS_BIN");
        }
        return bin;
    }

    /**
     * Starts Prometheus with {@code config} (where {@value #PLACEHOLDER} stands for its own port) and waits until it
     * is ready.
     */
    static PrometheusProcess start(Path workDir, String config) throws IOException, InterruptedException {
        Path bin = binary();
        for (int launch = 1; ; launch++) {
            int port = FreePorts.next();
            Path configFile = workDir.resolve("prometheus.yml");
            Files.writeString(configFile, config.replace(PLACEHOLDER, Integer.toString(port)));
            Path data = Files.createDirectories(workDir.resolve("tsdb-" + launch));
            Path log = Path.of("target", "processes", "prometheus-" + launch + ".log");
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(List.of(bin.toString(),
                    "--config.file=" + configFile,
                    "--storage.tsdb.path=" + data,
                    "--storage.tsdb.retention.time=1h",
                    "--web.listen-address=127.0.0.1:" + port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusProcess prometheus = new PrometheusProcess(process, port, log);
            try {
                prometheus.awaitReady(Duration.ofSeconds(60));
                return prometheus;
            } catch (AssertionError notUp) {
                prometheus.close();
                if (launch >= LAUNCHES || !FreePorts.saysPortTaken(prometheus.output())) {
                    throw notUp;
                }
            }
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited:\n" + output());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(300);
        }
        throw new AssertionError("prometheus not ready within " + timeout + ":\n" + output());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
