package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A panel error answer: {@code {"errors":[{"code","status","detail","meta"?}]}}. */
final class PanelException extends RuntimeException {

    /** One failed validation rule (422). */
    record Violation(String field, String rule, String detail) {}

    final int status;
    final ObjectNode body;
    final Map<String, String> headers = new LinkedHashMap<>();

    private PanelException(int status, ObjectNode body, String message) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
    }

    static PanelException of(int status, String code, String detail) {
        ObjectNode body = Json.object();
        ObjectNode e = body.putArray("errors").addObject();
        e.put("code", code);
        e.put("status", String.valueOf(status));
        e.put("detail", detail);
        return new PanelException(status, body, status + " " + code + ": " + detail);
    }

    static PanelException validation(List<Violation> violations) {
        ObjectNode body = Json.object();
        ArrayNode arr = body.putArray("errors");
        for (Violation v : violations) {
            ObjectNode e = arr.addObject();
            e.put("code", "ValidationException");
            e.put("status", "422");
            e.put("detail", v.detail());
            ObjectNode meta = e.putObject("meta");
            meta.put("source_field", v.field());
            meta.put("rule", v.rule());
        }
        return new PanelException(422, body, "422 " + violations);
    }

    PanelException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static PanelException notFound() {
        return of(404, "NotFoundHttpException", "The requested resource could not be found on the server.");
    }

    static PanelException accessDenied(int status) {
        return of(status, "AccessDeniedHttpException", "This action is unauthorized.");
    }

    static PanelException daemonUnreachable() {
        return of(504, "DaemonConnectionException",
                "Could not establish a connection to the machine running this server. Please try again.");
    }

    static PanelException daemonError(int status) {
        return of(status, "DaemonConnectionException",
                "An error was encountered while processing this request on the daemon (Wings).");
    }

    static PanelException tooManyAttempts(long retryAfterSeconds) {
        return of(429, "ThrottleRequestsException", "Too Many Attempts.")
                .header("Retry-After", String.valueOf(retryAfterSeconds));
    }

    static PanelException suspended() {
        return of(409, "ServerStateConflictException",
                "This server is currently suspended and the functionality requested is unavailable.");
    }

    static PanelException notInstalled() {
        return of(409, "ServerStateConflictException",
                "This server has not yet completed its installation process, please try again later.");
    }

    static PanelException badRequest(String detail) {
        return of(400, "BadRequestHttpException", detail);
    }
}
