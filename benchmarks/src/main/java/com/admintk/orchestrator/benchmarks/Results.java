package com.admintk.orchestrator.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The goals and figures of one harness run, written as {@code latest.json}, {@code latest.md} and charts. */
final class Results {

    /**
     * One goal: {@code measured} against {@code goal}; {@code atLeast} says which side passes. {@code detail} says
     * what the ratio is made of (the raw figures of both sides), so a reader can check it.
     */
    record Goal(String scenario, String name, double measured, String comparison, double goal, boolean met, String detail) {
    }

    /** A figure that has no goal (the issue asks to report it), or that is invalid and why. */
    record Figure(String scenario, String name, String value) {
    }

    private final List<Goal> goals = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, String> invalid = new LinkedHashMap<>();
    private final Map<String, Object> environment = new LinkedHashMap<>();
    private final Path dir;

    Results(Path dir) {
        this.dir = dir;
    }

    void atLeast(String scenario, String name, double measured, double goal, String detail) {
        goals.add(new Goal(scenario, name, round(measured), ">=", goal, measured >= goal, detail));
        System.out.printf("GOAL %s / %s: %.3f >= %s: %s (%s)%n", scenario, name, measured, goal, measured >= goal ? "met" : "NOT MET", detail);
    }

    void atMost(String scenario, String name, double measured, double goal, String detail) {
        goals.add(new Goal(scenario, name, round(measured), "<=", goal, measured <= goal, detail));
        System.out.printf("GOAL %s / %s: %.3f <= %s: %s (%s)%n", scenario, name, measured, goal, measured <= goal ? "met" : "NOT MET", detail);
    }

    void figure(String scenario, String name, String value) {
        figures.add(new Figure(scenario, name, value));
        System.out.printf("FIGURE %s / %s: %s%n", scenario, name, value);
    }

    void invalid(String scenario, String why) {
        invalid.put(scenario, why);
        System.out.printf("INVALID %s: %s%n", scenario, why);
    }

    boolean anyInvalid() {
        return !invalid.isEmpty();
    }

    void environment(String key, Object value) {
        environment.put(key, value);
    }

    /**
     * For a run of some scenarios only: the figures of the others come from the previous {@code latest.json}, so
     * the file stays one entry per goal. The environment says which were rerun and when the others were taken.
     */
    void keepOthers(List<String> rerun) {
        Path previous = dir.resolve("latest.json");
        if (!Files.exists(previous)) {
            return;
        }
        java.util.function.Predicate<String> kept = scenario -> !rerun.contains(scenario.substring(0, scenario.indexOf(' ')));
        try {
            com.fasterxml.jackson.databind.JsonNode old = new ObjectMapper().readTree(previous.toFile());
            List<Goal> oldGoals = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode goal : old.path("goals")) {
                String full = goal.path("name").asText();
                String scenario = full.substring(0, full.indexOf(": "));
                if (kept.test(scenario)) {
                    String[] target = goal.path("goal").asText().split(" ");
                    oldGoals.add(new Goal(scenario, full.substring(full.indexOf(": ") + 2), goal.path("measured").asDouble(),
                            target[0], Double.parseDouble(target[1]), goal.path("met").asBoolean(), goal.path("detail").asText()));
                }
            }
            goals.addAll(0, oldGoals);
            List<Figure> oldFigures = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode figure : old.path("figures")) {
                if (kept.test(figure.path("scenario").asText())) {
                    oldFigures.add(new Figure(figure.path("scenario").asText(), figure.path("name").asText(),
                            figure.path("value").asText()));
                }
            }
            figures.addAll(0, oldFigures);
            old.path("invalid").fields().forEachRemaining(entry -> {
                if (kept.test(entry.getKey())) {
                    invalid.putIfAbsent(entry.getKey(), entry.getValue().asText());
                }
            });
            environment.put("rerun", "scenarios " + String.join(",", rerun) + " only; the others are from the run of "
                    + old.path("takenAt").asText() + " (load average at its start " 
                    + old.path("environment").path("loadAverageAtStart").asText() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Duration runtime) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("takenAt", Instant.now().toString());
            json.put("runtimeSeconds", runtime.toSeconds());
            json.put("environment", environment);
            List<Map<String, Object>> goalList = new ArrayList<>();
            for (Goal goal : goals) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", goal.scenario() + ": " + goal.name());
                entry.put("measured", goal.measured());
                entry.put("goal", goal.comparison() + " " + goal.goal());
                entry.put("met", goal.met());
                entry.put("detail", goal.detail());
                goalList.add(entry);
            }
            json.put("goals", goalList);
            json.put("figures", figures);
            json.put("invalid", invalid);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("latest.json").toFile(), json);
            Files.writeString(dir.resolve("latest.md"), markdown(runtime));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String markdown(Duration runtime) {
        StringBuilder md = new StringBuilder();
        md.append("| scenario | goal | measured | target | met |\n|---|---|---|---|---|\n");
        for (Goal goal : goals) {
            md.append("| ").append(goal.scenario()).append(" | ").append(goal.name()).append(" | ")
                    .append(goal.measured()).append(" | ").append(goal.comparison().equals(">=") ? "≥ " : "≤ ")
                    .append(goal.goal()).append(" | ").append(goal.met() ? "yes" : "**no**").append(" |\n");
        }
        for (Map.Entry<String, String> entry : invalid.entrySet()) {
            md.append("| ").append(entry.getKey()).append(" | run invalid | – | – | **invalid**: ")
                    .append(entry.getValue().replace("|", "/").replace("\n", " ")).append(" |\n");
        }
        md.append("\nWhat each ratio is made of:\n\n");
        for (Goal goal : goals) {
            md.append("- ").append(goal.scenario()).append(", ").append(goal.name()).append(": ").append(goal.detail()).append('\n');
        }
        md.append("\nOther figures:\n\n| scenario | figure | value |\n|---|---|---|\n");
        for (Figure figure : figures) {
            md.append("| ").append(figure.scenario()).append(" | ").append(figure.name()).append(" | ").append(figure.value()).append(" |\n");
        }
        md.append("\nRun: ").append(environment).append(", ").append(runtime.toSeconds()).append(" s.\n");
        return md.toString();
    }

    /** Latency by percentile, one line per run, log scale: the tail is where the runs differ. */
    void latencyChart(String file, String title, List<Load.Run> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Load.Run run : runs) {
            XYSeries series = new XYSeries(run.name());
            long[] sorted = run.latenciesNanos().clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                series.add(100.0 * (i + 1) / sorted.length, Math.max(0.01, sorted[i] / 1e6));
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "percentile", "latency (ms)", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().setRangeAxis(new LogAxis("latency (ms, log)"));
        save(file, chart);
    }

    /** Points (x, y) per series, e.g. the gap from install to ACTIVE of each order. */
    void scatterChart(String file, String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name);
            for (double[] point : points) {
                s.add(point[0], point[1]);
            }
            data.addSeries(s);
        });
        save(file, ChartFactory.createScatterPlot(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false));
    }

    private void save(String file, JFreeChart chart) {
        try {
            Files.createDirectories(dir);
            ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, 900, 500);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
