package com.admintk.orchestrator.benchmarks;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the api process spends its CPU during the checkout load, from a JFR recording's execution samples: each
 * sample is given to the library of its leaf-most recognised frame, and every orchestrator method on its stack
 * is counted (inclusive).
 */
final class Profile {

    private static final Map<String, List<String>> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("Temporal test server", List.of("io.temporal.internal.testservice", "io.temporal.testserver"));
        LIBRARIES.put("mongo-java-server (the store)", List.of("de.bwaldvogel"));
        LIBRARIES.put("load generator (JDK HttpClient)", List.of("jdk.internal.net.http"));
        LIBRARIES.put("bcrypt / password hashing", List.of("at.favre.lib.crypto.bcrypt"));
        LIBRARIES.put("crypto (AES-GCM payloads, HMAC)", List.of("javax.crypto", "com.sun.crypto", "sun.security"));
        LIBRARIES.put("JWT / security filters", List.of("com.nimbusds", "io.micronaut.security"));
        LIBRARIES.put("Temporal client + gRPC", List.of("io.temporal", "io.grpc", "com.google.protobuf"));
        LIBRARIES.put("MongoDB driver", List.of("com.mongodb", "org.bson"));
        LIBRARIES.put("Redis (Lettuce, Bucket4j)", List.of("io.lettuce", "io.github.bucket4j"));
        LIBRARIES.put("JSON (serde, Jackson)", List.of("io.micronaut.serde", "com.fasterxml.jackson"));
        LIBRARIES.put("validation", List.of("io.micronaut.validation", "jakarta.validation"));
        LIBRARIES.put("tracing / metrics", List.of("io.opentelemetry", "io.micrometer", "io.opentracing"));
        LIBRARIES.put("logging", List.of("ch.qos.logback", "org.slf4j", "net.logstash"));
        LIBRARIES.put("orchestrator code", List.of("com.admintk"));
        LIBRARIES.put("Micronaut HTTP / routing", List.of("io.micronaut"));
        LIBRARIES.put("Netty", List.of("io.netty"));
        LIBRARIES.put("JDK", List.of("java.", "jdk.", "sun."));
    }

    private Profile() {
    }

    /** A Markdown summary: share of samples per library and the orchestrator methods most often on the stack. */
    static String summarize(Path recording, String what) {
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null) {
                    continue;
                }
                samples++;
                String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
                byThread.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+", ""), 1, Integer::sum);
                byLibrary.merge(library(stack.getFrames()), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    String type = frame.getMethod().getType().getName();
                    if (type.startsWith("com.admintk") && !type.contains("$$")) {
                        String method = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
                        if (seen.add(method)) {
                            ours.merge(method, 1, Integer::sum);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder md = new StringBuilder();
        md.append(samples).append(" CPU samples of ").append(what).append(".\n\n");
        md.append("| leaf-most library | share of samples |\n|---|---|\n");
        append(md, byLibrary, samples, 20);
        md.append("\n| orchestrator method on the stack (inclusive) | share of samples |\n|---|---|\n");
        append(md, ours, samples, 15);
        md.append("\n| thread group | share of samples |\n|---|---|\n");
        append(md, byThread, samples, 10);
        return md.toString();
    }

    /**
     * JFR's profile settings with every socket write recorded (threshold 0): the blocking MongoDB driver writes one
     * message per command, so the count per checkout is its number of MongoDB round trips; Lettuce (Redis) writes
     * one per command too, over NIO. The Temporal client's gRPC uses Netty's native transport, which JFR does not see.
     */
    static Path socketCountingSettings(Path dir) {
        try {
            String profile = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
            String counting = Pattern.compile("(<event name=\"jdk.SocketWrite\">.*?<setting name=\"threshold\"[^>]*>)[^<]*",
                    Pattern.DOTALL).matcher(profile).replaceFirst("$1 0 ms");
            Files.createDirectories(dir);
            Path file = dir.resolve("profile-sockets.jfc").toAbsolutePath();
            Files.writeString(file, counting);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Socket writes of the recording by the service on the remote port. */
    static Map<String, Integer> socketWrites(Path recording, Map<Integer, String> services) {
        Map<String, Integer> writes = new LinkedHashMap<>();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals("jdk.SocketWrite")) {
                    // Any other remote port is a load-generator connection: the API's answers.
                    writes.merge(services.getOrDefault(event.getInt("port"), "HTTP answers"), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writes;
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> library : LIBRARIES.entrySet()) {
                if (library.getKey().equals("JDK")) {
                    continue;
                }
                for (String prefix : library.getValue()) {
                    if (type.startsWith(prefix)) {
                        return library.getKey();
                    }
                }
            }
        }
        return "JDK";
    }

    private static void append(StringBuilder md, Map<String, Integer> counts, int total, int limit) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> md.append("| ").append(e.getKey()).append(" | ")
                        .append(String.format("%.1f %%", 100.0 * e.getValue() / Math.max(1, total))).append(" |\n"));
    }
}
