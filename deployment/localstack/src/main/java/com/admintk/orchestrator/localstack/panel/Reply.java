package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer the simulator will write (possibly after a delay). */
final class Reply {
    final int status;
    final byte[] body;
    final String contentType;
    final Map<String, String> headers = new LinkedHashMap<>();
    Duration delay = Duration.ZERO;

    private Reply(int status, byte[] body, String contentType) {
        this.status = status;
        this.body = body;
        this.contentType = contentType;
    }

    static Reply json(int status, JsonNode node) {
        return new Reply(status, Json.write(node).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static Reply json(JsonNode node) {
        return json(200, node);
    }

    static Reply noContent() {
        return new Reply(204, new byte[0], null);
    }

    static Reply text(int status, String text) {
        return new Reply(status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    static Reply bytes(int status, byte[] data, String contentType) {
        return new Reply(status, data, contentType);
    }

    static Reply error(PanelException e) {
        Reply r = json(e.status, e.body);
        r.headers.putAll(e.headers);
        return r;
    }
}
