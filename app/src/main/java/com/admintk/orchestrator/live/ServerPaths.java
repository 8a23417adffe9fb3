package com.admintk.orchestrator.live;

import com.admintk.orchestrator.error.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Paths inside a game server's file system, as a customer names them. Each is normalised to {@code /a/b} before it
 * goes to the panel, and refused with 400 {@code INVALID_PATH} when it climbs out of the server root ({@code ..}
 * past {@code /}), carries a control character (NUL included), a backslash, or is too long. Wings checks the root
 * too; checking here as well means a hostile path never reaches the panel at all, and the panel's logs and our audit
 * log only ever hold the normalised form.
 */
final class ServerPaths {

    static final int MAX_PATH_CHARS = 1024;
    static final int MAX_SEGMENT_BYTES = 255;
    static final String ROOT = "/";

    private ServerPaths() {
    }

    /** A directory; absent or blank is the server root. */
    static String directory(String field, String raw) {
        return raw == null || raw.isBlank() ? ROOT : normalise(field, raw);
    }

    /** A file or directory to act on: required, and never the server root itself. */
    static String target(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid(field, "is required");
        }
        String path = normalise(field, raw);
        if (ROOT.equals(path)) {
            throw invalid(field, "names the server root");
        }
        return path;
    }

    /** {@code name} relative to {@code root} (as the panel's delete and rename take them), normalised as one path. */
    static String within(String field, String root, String name) {
        if (name == null || name.isBlank()) {
            throw invalid(field, "is required");
        }
        check(field, name);
        return target(field, root + "/" + name);
    }

    /** The path relative to the root, as the panel's {@code files[]} take it with root {@code /}. */
    static String relative(String path) {
        return path.substring(1);
    }

    static String normalise(String field, String raw) {
        check(field, raw);
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : raw.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    throw invalid(field, "leaves the server root");
                }
                segments.removeLast();
                continue;
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw invalid(field, "has a name longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            segments.addLast(segment);
        }
        return ROOT + String.join("/", segments);
    }

    private static void check(String field, String raw) {
        if (raw.length() > MAX_PATH_CHARS) {
            throw invalid(field, "is longer than " + MAX_PATH_CHARS + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isISOControl(c)) {
                throw invalid(field, "contains a control character");
            }
            if (c == '\\') {
                // Wings reads it as part of a name, the simulator and Windows as a separator: refuse the ambiguity.
                throw invalid(field, "contains a backslash");
            }
        }
    }

    static ApiException invalid(String field, String reason) {
        return ApiException.badRequest("INVALID_PATH", "The path " + reason, Map.of("field", field, "reason", reason));
    }
}
