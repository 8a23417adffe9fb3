package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** HS256 JWTs for the Wings websocket and signed file URLs, signed with a per-simulator node key. */
final class WingsJwt {

    /** The claims the simulator checks. */
    record Claims(String serverUuid, int userId, Instant expiresAt, String purpose) {}

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final byte[] key = new byte[32];

    WingsJwt() {
        new SecureRandom().nextBytes(key);
    }

    String mint(String serverUuid, int userId, String userUuid, Duration lifetime, String purpose) {
        Instant now = Instant.now();
        ObjectNode header = Json.object().put("typ", "JWT").put("alg", "HS256").put("jti", UUID.randomUUID().toString());
        ObjectNode payload = Json.object();
        payload.put("iss", "admintk-panel-simulator");
        payload.put("iat", now.getEpochSecond());
        payload.put("nbf", now.getEpochSecond() - 300);
        payload.put("exp_ms", now.plus(lifetime).toEpochMilli());
        payload.put("exp", now.plus(lifetime).getEpochSecond());
        payload.put("server_uuid", serverUuid);
        payload.put("user_id", userId);
        payload.put("user_uuid", userUuid);
        payload.put("purpose", purpose);
        payload.putArray("permissions").add("*");
        String signingInput = B64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Json.write(payload).getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64.encodeToString(sign(signingInput));
    }

    /** Returns the claims of a well-signed token (expired or not), else null. */
    Claims verify(String token) {
        if (token == null) return null;
        String[] parts = token.split("\\.");
        if (parts.length != 3) return null;
        try {
            byte[] sig = B64D.decode(parts[2]);
            if (!MessageDigest.isEqual(sig, sign(parts[0] + "." + parts[1]))) return null;
            JsonNode p = Json.MAPPER.readTree(B64D.decode(parts[1]));
            return new Claims(p.path("server_uuid").asText(), p.path("user_id").asInt(),
                    Instant.ofEpochMilli(p.path("exp_ms").asLong()), p.path("purpose").asText());
        } catch (Exception e) {
            return null;
        }
    }

    private byte[] sign(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
