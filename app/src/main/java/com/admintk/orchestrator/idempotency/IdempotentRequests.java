package com.admintk.orchestrator.idempotency;

import com.admintk.orchestrator.error.ApiException;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a mutating request at most once per {@code Idempotency-Key}:
 * <ul>
 *   <li>the first request runs and its response is stored;</li>
 *   <li>a repeat with the same body gets the stored response, byte for byte;</li>
 *   <li>the same key with another body is 422 {@code IDEMPOTENCY_KEY_REUSED};</li>
 *   <li>a repeat while the first is still running waits a little for it, then gets 409.</li>
 * </ul>
 * A first request that fails stores nothing, so the client can retry it with the same key.
 */
@Singleton
public class IdempotentRequests {

    static final int MAX_KEY_LENGTH = 255;
    private static final Duration WAIT_FOR_FIRST = Duration.ofSeconds(10);

    /** A stored or fresh response: status and JSON body. */
    public record StoredResponse(int status, String body) {
    }

    private final IdempotencyStore store;
    private final ObjectMapper json;

    public IdempotentRequests(IdempotencyStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /**
     * @param scope   who and what: e.g. {@code usr_1:POST /api/v1/orders}
     * @param request the validated request, hashed to detect a reused key
     * @param action  does the work once; returns the status and the response object
     */
    public StoredResponse run(String key, String scope, Object request, Supplier<Map.Entry<HttpStatus, Object>> action) {
        if (key == null || key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "IDEMPOTENCY_KEY_REQUIRED",
                    "The Idempotency-Key header is required (1 to " + MAX_KEY_LENGTH + " characters)",
                    Map.of("field", "Idempotency-Key"));
        }
        String id = sha256(scope + "\n" + key);
        String hash = sha256(write(request));
        IdempotencyStore.Claim claim = store.claim(id, scope, hash);
        if (claim instanceof IdempotencyStore.Claim.Existing existing) {
            return replay(id, hash, existing);
        }
        try {
            Map.Entry<HttpStatus, Object> result = action.get();
            StoredResponse response = new StoredResponse(result.getKey().getCode(), write(result.getValue()));
            store.complete(id, response.status(), response.body());
            return response;
        } catch (RuntimeException e) {
            try {
                store.release(id);
            } catch (RuntimeException storeDown) {
                // The store went away mid-request: the claim stays until it counts as abandoned, then a retry runs.
                e.addSuppressed(storeDown);
            }
            throw e;
        }
    }

    /** A stable id derived from the key, for callers that want their resource id to follow the key. */
    public static String derivedId(String scope, String key) {
        return sha256(scope + "\n" + key).substring(0, 24);
    }

    private StoredResponse replay(String id, String hash, IdempotencyStore.Claim.Existing existing) {
        long deadline = System.nanoTime() + WAIT_FOR_FIRST.toNanos();
        IdempotencyStore.Claim.Existing current = existing;
        while (true) {
            if (!current.requestHash().equals(hash)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED",
                        "This Idempotency-Key was used with a different request", Map.of("field", "Idempotency-Key"));
            }
            if (current.completed()) {
                return new StoredResponse(current.status(), current.body());
            }
            if (System.nanoTime() > deadline) {
                throw new ApiException(HttpStatus.CONFLICT, "IDEMPOTENCY_KEY_IN_PROGRESS",
                        "The first request with this Idempotency-Key is still running; retry later",
                        Map.of("field", "Idempotency-Key"));
            }
            sleep();
            var next = store.find(id);
            if (next.isEmpty()) {
                throw new ApiException(HttpStatus.CONFLICT, "IDEMPOTENCY_KEY_IN_PROGRESS",
                        "The first request with this Idempotency-Key failed; retry it", Map.of("field", "Idempotency-Key"));
            }
            current = next.get();
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
