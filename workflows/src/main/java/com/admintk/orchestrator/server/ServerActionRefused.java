package com.admintk.orchestrator.server;

import io.temporal.failure.ApplicationFailure;

/**
 * A validator's refusal. Deliberately not an {@code ApplicationFailure} itself: temporal-sdk 1.35 serialises a
 * validator's {@code ApplicationFailure} twice and loses its type (sdk-java#2875), while any other exception is
 * serialised once with its cause chain, so the typed cause arrives intact. Clients read it with
 * {@link ServerActionRefusals#codeOf}.
 */
public class ServerActionRefused extends RuntimeException {

    public ServerActionRefused(String code, String message) {
        super(message, ApplicationFailure.newNonRetryableFailure(message, code));
    }
}
