package com.admintk.orchestrator.pterodactyl;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything that can go wrong talking to the panel, in the shapes an activity acts on. Whether another attempt is
 * worth it is not decided here but by each step's retry options, from the lists in {@link PanelFailures}.
 */
public abstract sealed class PanelException extends RuntimeException {

    private final int httpStatus;
    private final List<PanelError> errors;

    PanelException(String message, int httpStatus, List<PanelError> errors, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errors = List.copyOf(errors);
    }

    /** The HTTP status, or 0 when no response came back (timeout, reset). */
    public int httpStatus() {
        return httpStatus;
    }

    /** The panel's {@code errors[]}, empty when it sent none. */
    public List<PanelError> errors() {
        return errors;
    }

    /** One entry of the panel's {@code errors[]}; {@code sourceField}/{@code rule} only on 422s. */
    public record PanelError(String code, String status, String detail, String sourceField, String rule) {
    }

    /** 422: the request breaks a rule (egg variable, allocation taken...). Repeating it cannot help. */
    public static final class Validation extends PanelException {
        public Validation(String message, int status, List<PanelError> errors) {
            super(message, status, errors, null);
        }

        /** {@code source_field:rule} pairs, e.g. {@code environment.SERVER_JARFILE:required}. */
        public List<String> violations() {
            return errors().stream().map(e -> e.sourceField() + ":" + e.rule()).toList();
        }
    }

    /** 422 with {@code external_id} + {@code unique}: what we asked to create already exists. */
    public static final class AlreadyExists extends PanelException {
        public AlreadyExists(String message, List<PanelError> errors) {
            super(message, 422, errors, null);
        }
    }

    /** 404. */
    public static final class NotFound extends PanelException {
        public NotFound(String message, List<PanelError> errors) {
            super(message, 404, errors, null);
        }
    }

    /** 409: the server is suspended, installing, transferring... The call may work later. */
    public static final class Conflict extends PanelException {
        public Conflict(String message, List<PanelError> errors) {
            super(message, 409, errors, null);
        }
    }

    /** 400 NoViableNodeException / NoViableAllocationException: no room to deploy. */
    public static final class NoCapacity extends PanelException {
        public NoCapacity(String message, List<PanelError> errors) {
            super(message, 400, errors, null);
        }
    }

    /** 401/403: our key is wrong or lacks permission. An operator must fix it. */
    public static final class AccessDenied extends PanelException {
        public AccessDenied(String message, int status, List<PanelError> errors) {
            super(message, status, errors, null);
        }
    }

    /** Another 4xx (e.g. 400 DisplayException): the panel refused the request as made. */
    public static final class Rejected extends PanelException {
        public Rejected(String message, int status, List<PanelError> errors) {
            super(message, status, errors, null);
        }
    }

    /** The panel could not answer now: 429, 5xx (502/504 are Wings), timeouts, resets. Retry. */
    public static final class Unavailable extends PanelException {
        public enum Reason { RATE_LIMITED, SERVER_ERROR, TIMEOUT, CONNECTION }

        private final Reason reason;
        private final Duration retryAfter;

        public Unavailable(String message, Reason reason, int status, List<PanelError> errors, Duration retryAfter,
                           Throwable cause) {
            super(message, status, errors, cause);
            this.reason = reason;
            this.retryAfter = retryAfter;
        }

        public Reason reason() {
            return reason;
        }

        /** From the panel's Retry-After header, when it sent one. */
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }

        /** A 5xx whose cause is Wings (the panel could not reach or use the daemon). */
        public boolean daemonError() {
            return httpStatus() == 502 || httpStatus() == 504
                    || errors().stream().anyMatch(e -> "DaemonConnectionException".equals(e.code()));
        }

        /** No answer came back: the request may or may not have taken effect. */
        public boolean outcomeUnknown() {
            return reason == Reason.TIMEOUT || reason == Reason.CONNECTION || reason == Reason.SERVER_ERROR;
        }
    }
}
