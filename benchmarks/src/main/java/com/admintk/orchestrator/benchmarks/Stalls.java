package com.admintk.orchestrator.benchmarks;

import com.admintk.orchestrator.localstack.JavaProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a measured load ran into besides its own work: the collectors' pauses of the harness JVM and the api (from
 * their {@code -Xlog:gc} files, with UTC time stamps), and the capacity readings of the panel that checkouts waited
 * for (the api's {@code capacity.panel.reading} timer with {@code background="false"}).
 */
final class Stalls {

    static final Path HARNESS_GC_LOG = Path.of("benchmarks", "target", "gc-harness.log");

    private static final Pattern PAUSE = Pattern.compile(
            "^\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3})[^]]*].*Pause.* (\\d+\\.\\d+)ms$");

    private final long fromMillis;
    private final double waitedReadings;
    private final double waitedSeconds;
    private final JavaProcess api;

    private Stalls(JavaProcess api) {
        this.api = api;
        this.fromMillis = System.currentTimeMillis();
        double[] readings = waitedReadings(api);
        this.waitedReadings = readings[0];
        this.waitedSeconds = readings[1];
    }

    static Stalls from(JavaProcess api) {
        return new Stalls(api);
    }

    /** One line: the pauses and waited readings since {@link #from}. */
    String untilNow() {
        long toMillis = System.currentTimeMillis();
        double[] readings = waitedReadings(api);
        return String.format("harness JVM %s; api %s; checkouts waited for %.0f panel reading(s) (%.0f ms)",
                pauses(HARNESS_GC_LOG, fromMillis, toMillis), pauses(Stack.gcLog(api), fromMillis, toMillis),
                readings[0] - waitedReadings, (readings[1] - waitedSeconds) * 1000);
    }

    /** "N GC pauses, longest X ms, Y ms in all" within the window, or why the log could not be read. */
    static String pauses(Path log, long fromMillis, long toMillis) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return "no GC log (" + e.getMessage() + ")";
        }
        int count = 0;
        double longest = 0;
        double total = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (!m.find()) {
                continue;
            }
            long at = LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC).toEpochMilli();
            if (at < fromMillis || at > toMillis) {
                continue;
            }
            double millis = Double.parseDouble(m.group(2));
            count++;
            total += millis;
            longest = Math.max(longest, millis);
        }
        return String.format("%d GC pauses, longest %.0f ms, %.0f ms in all", count, longest, total);
    }

    /** {count, seconds} of the readings checkouts waited for, over the api's life. */
    private static double[] waitedReadings(JavaProcess api) {
        double count = 0;
        double seconds = 0;
        for (String line : api.get("/prometheus").split("\n")) {
            if (!line.contains("background=\"false\"")) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("capacity_panel_reading_seconds_count{")) {
                count += value;
            } else if (line.startsWith("capacity_panel_reading_seconds_sum{")) {
                seconds += value;
            }
        }
        return new double[]{count, seconds};
    }
}
