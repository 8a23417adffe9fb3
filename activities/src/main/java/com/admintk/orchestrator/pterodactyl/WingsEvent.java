package com.admintk.orchestrator.pterodactyl;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** What Wings says on a server's websocket ({@code {"event": "...", "args": [...]}}), typed. */
public sealed interface WingsEvent {

    /** The socket is open (before auth). */
    record Connected() implements WingsEvent {
    }

    /** The socket closed; the client reconnects unless it was closed on purpose or the server was deleted. */
    record Disconnected(int code, String reason) implements WingsEvent {
    }

    record AuthSuccess() implements WingsEvent {
    }

    /** offline, starting, running or stopping. */
    record Status(String state) implements WingsEvent {
    }

    record Stats(WingsStats stats) implements WingsEvent {
    }

    record ConsoleOutput(String line) implements WingsEvent {
    }

    record InstallStarted() implements WingsEvent {
    }

    record InstallOutput(String line) implements WingsEvent {
    }

    record InstallCompleted() implements WingsEvent {
    }

    record DaemonMessage(String message) implements WingsEvent {
    }

    record TokenExpiring() implements WingsEvent {
    }

    record TokenExpired() implements WingsEvent {
    }

    record JwtError(String message) implements WingsEvent {
    }

    record DaemonError(String message) implements WingsEvent {
    }

    /** Anything else (backup events, transfer logs...), kept raw. */
    record Other(String event, List<String> args) implements WingsEvent {
    }

    /** The {@code stats} payload (Wings sends it JSON-encoded inside a string). {@code uptime} is in ms. */
    record WingsStats(long memoryBytes, long memoryLimitBytes, double cpuAbsolute, Network network, long uptime,
                      String state, long diskBytes) {
        public record Network(long rxBytes, long txBytes) {
        }
    }

    /** Decodes one text frame. */
    static WingsEvent decode(String frame) {
        JsonNode root = PanelJson.tree(frame);
        String event = root.path("event").asText("");
        List<String> args = new ArrayList<>();
        root.path("args").forEach(a -> args.add(a.isNull() ? null : a.asText()));
        String first = args.isEmpty() ? null : args.get(0);
        return switch (event) {
            case "auth success" -> new AuthSuccess();
            case "status" -> new Status(first);
            case "stats" -> new Stats(PanelJson.read(first, WingsStats.class));
            case "console output" -> new ConsoleOutput(first);
            case "install started" -> new InstallStarted();
            case "install output" -> new InstallOutput(first);
            case "install completed" -> new InstallCompleted();
            case "daemon message" -> new DaemonMessage(first);
            case "token expiring" -> new TokenExpiring();
            case "token expired" -> new TokenExpired();
            case "jwt error" -> new JwtError(first);
            case "daemon error" -> new DaemonError(first);
            default -> new Other(event, List.copyOf(args.stream().map(a -> a == null ? "" : a).toList()));
        };
    }

    /** A client → Wings frame. */
    static String frame(String event, String arg) {
        var node = PanelJson.MAPPER.createObjectNode();
        node.put("event", event);
        node.putArray("args").add(arg);
        return node.toString();
    }
}
