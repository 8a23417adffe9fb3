package com.admintk.orchestrator.localstack.stripe;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook payloads the way Stripe does: {@code Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<raw body>")>}. The secret is used as-is (the whole {@code whsec_…} string), as Stripe's libraries do.
 */
public final class StripeSignatures {

    public static final String HEADER = "Stripe-Signature";

    private StripeSignatures() {
    }

    /** The full header value for {@code payload} signed at {@code timestampSeconds}. */
    public static String sign(String secret, String payload, long timestampSeconds) {
        return "t=" + timestampSeconds + ",v1=" + v1(secret, payload, timestampSeconds);
    }

    /** Signed now. */
    public static String signNow(String secret, String payload) {
        return sign(secret, payload, System.currentTimeMillis() / 1000);
    }

    /** The hex HMAC-SHA256 of {@code "<t>.<payload>"}. */
    public static String v1(String secret, String payload, long timestampSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestampSeconds + "." + payload).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
